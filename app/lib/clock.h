/* clock: the monotonic clock, for deadlines and intervals (never the time of day). */
#ifndef ELEVA_CLOCK_H
#define ELEVA_CLOCK_H

/* Seconds since an arbitrary point, with nanoseconds' precision. */
double		clock_now(void);
/* The same in whole milliseconds. */
long long	clock_now_ms(void);

#endif
