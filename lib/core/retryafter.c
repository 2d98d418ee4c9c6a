/* Retry-After values (retryafter.h); HTTP-dates parsed by libcurl's curl_getdate, which reads
 * the three date forms RFC 9110 allows. */
#include "core/common.h"
#include <ctype.h>
#include <curl/curl.h>
#include "core/retryafter.h"

long hull_retry_after(const char *v, time_t now)
{
    if (!v)
        return -1;
    while (*v == ' ' || *v == '\t')
        v++;
    size_t n = strlen(v);
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\r' || v[n - 1] == '\n'))
        n--;
    if (!n || n > 64)
        return -1;
    char b[65];
    memcpy(b, v, n);
    b[n] = 0;
    bool digits = true;
    for (size_t i = 0; i < n && digits; i++)
        digits = isdigit((unsigned char)b[i]);
    if (digits) {
        errno = 0;
        long s = strtol(b, NULL, 10);
        return errno ? -1 : s;
    }
    /* an HTTP-date has a weekday name first: refuse anything else curl_getdate would guess at */
    if (!isalpha((unsigned char)b[0]))
        return -1;
    time_t t = curl_getdate(b, NULL);
    if (t < 0)
        return -1;
    return t > now ? (long)(t - now) : 0;
}
