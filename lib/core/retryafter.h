/* The Retry-After header (RFC 9110 section 10.2.3): delay-seconds or an HTTP-date. */
#ifndef HULL_CORE_RETRYAFTER_H
#define HULL_CORE_RETRYAFTER_H
#include <time.h>

/* Seconds to wait from `now` for the header value v (surrounding blanks allowed): a
 * non-negative integer as is, an HTTP-date as the time until it (0 when it has passed).
 * -1 when v is neither. */
long hull_retry_after(const char *v, time_t now);
#endif
