/* setup: the six steps of the expert setup wizard, their state, and marking a form step done. */
#ifndef ELEVA_SETUP_H
#define ELEVA_SETUP_H

struct ctx;
struct view;

enum setup_step {
	SETUP_PROFILE,
	SETUP_AVAILABILITY,
	SETUP_EVENTS,
	SETUP_GOOGLE_ACCOUNT,
	SETUP_IDENTITY,
	SETUP_PAYMENT,
	SETUP__N
};

/* One step: its name (the expert_setup column is name + "_completed"). */
struct setup_step_def {
	const char	*name;		/* "profile" ... */
	int		 form;		/* a form of ours (/setup/<name>), else
					   an external provider's (webhook) */
};

extern const struct setup_step_def setup_steps[SETUP__N];

/* The signed-in expert's progress; a missing row reads as nothing done. */
struct setup_state {
	int		 done[SETUP__N];
	int		 ndone;
	int		 complete;	/* setup_complete */
	const char	*completed_at;	/* ISO text, or NULL */
	int		 has_row;
	/* The profile, if any (for publishing). */
	int		 has_profile;
	int		 published;
	const char	*handle;	/* NULL when not chosen */
};

/* Load the state of the signed-in user.  Returns 0, or -1 (database). */
int	setup_load(struct ctx *, struct setup_state *);

/*
 * Record whether one of the form steps (profile, availability, events) is
 * done for the signed-in expert, in the request's transaction, from what
 * the form just saved: the row is created when missing; a step already in
 * that state is left alone (and so is the completion time: the database
 * sets setup_complete when the sixth step is done and keeps it while steps
 * are repeated, sql/0004_setup.sql).  A step undone makes the setup
 * incomplete, which unpublishes the profile (also the database's rule).
 * A change writes one audit row (SETUP_STEP_COMPLETED or
 * SETUP_STEP_UNCOMPLETED).  Returns 1 when it changed, 0 when it was in
 * that state already, -1 on a database error.
 */
int	setup_set(struct ctx *, enum setup_step, int done);

/*
 * Render a form step's page, template "setup_" + its name, with v and
 * whether the step is done; 503 when the state cannot be read.
 */
int	setup_step_render(struct ctx *, int status, enum setup_step,
	    struct view *v);

#endif
