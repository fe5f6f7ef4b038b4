/* clock: the one monotonic clock (build times, serve's debounce). */
#ifndef KK_CLOCK_H
#define KK_CLOCK_H

/* Milliseconds on CLOCK_MONOTONIC: only differences mean anything. */
double clock_now_ms(void);

#endif
