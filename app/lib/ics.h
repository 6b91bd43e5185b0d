/* ics: one meeting as an iCalendar object (RFC 5545): a VCALENDAR with one VEVENT, text escaped, lines folded, CRLF. */
#ifndef ELEVA_ICS_H
#define ELEVA_ICS_H

struct buf;

/* One meeting.  Strings may be NULL (the property is left out). */
struct ics_event {
	const char	*method;	/* PUBLISH, REQUEST, CANCEL */
	const char	*uid;		/* stable across changes of the meeting */
	long		 sequence;	/* each change of the meeting: one more */
	long long	 start, end;	/* Unix seconds */
	long long	 stamp;		/* when this object was made */
	const char	*summary;
	const char	*description;
	const char	*url;
	const char	*status;	/* CONFIRMED, CANCELLED */
	const char	*organizer_name, *organizer_email;
	const char	*attendee_name, *attendee_email;
};

/*
 * Append the calendar for e to b: times in UTC ("...Z"), TEXT values
 * escaped (backslash, semicolon, comma, newline), parameter values quoted
 * without their quotes, every line folded before 75 octets without
 * cutting a UTF-8 character, each ending CRLF.
 */
void	ics_write(struct buf *b, const struct ics_event *e);

#endif
