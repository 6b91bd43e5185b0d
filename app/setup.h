/* setup: the six steps of the expert setup wizard, their state, and marking a form step done. */
#ifndef ELEVA_SETUP_H
#define ELEVA_SETUP_H

struct ctx;

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
	const char	*href;		/* the form, or NULL: an external provider */
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
 * Mark one of the form steps (profile, availability, events) done for the
 * signed-in expert in the request's transaction: the row is created when
 * missing; a step already done is left alone (and so is the completion
 * time: the database sets setup_complete once, sql/0004_setup.sql).  A
 * change writes one audit row (SETUP_STEP_COMPLETED).  Returns 1 when it
 * changed, 0 when it was done already, -1 on a database error.
 */
int	setup_mark(struct ctx *, enum setup_step);

#endif
