/* Tar entry names: normalisation into the image root and quoting for messages. */
#include "core/common.h"
#include "layer/fsindex.h"

int layer_name_normalize(const char *name, size_t max_path, char *out, size_t *out_len)
{
    size_t n = strlen(name);
    if (n > max_path)
        return -HULL_E_LIMIT;
    size_t len = 0;
    const char *p = name, *end = name + n;
    while (p < end) {
        while (p < end && *p == '/')
            p++;
        const char *q = p;
        while (q < end && *q != '/')
            q++;
        size_t c = (size_t)(q - p);
        if (c == 0 || (c == 1 && p[0] == '.')) {
            p = q;
            continue;
        }
        if (c == 2 && p[0] == '.' && p[1] == '.') {
            if (len == 0)
                return -HULL_E_UNSAFE;
            while (len > 0 && out[len - 1] != '/')
                len--;
            if (len > 0)
                len--; /* the separator before the dropped component */
            p = q;
            continue;
        }
        if (len)
            out[len++] = '/';
        memcpy(out + len, p, c); /* len + c <= n <= max_path: out holds max_path + 1 */
        len += c;
        p = q;
    }
    out[len] = 0;
    *out_len = len;
    return 0;
}

const char *layer_name_quote(const char *name, char *out, size_t cap)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0, i = 0;
    for (; name[i] && i < 200 && o + 5 < cap; i++) {
        unsigned char ch = (unsigned char)name[i];
        if (ch >= 0x20 && ch < 0x7f && ch != '\\') {
            out[o++] = (char)ch;
        } else {
            out[o++] = '\\';
            out[o++] = 'x';
            out[o++] = hex[ch >> 4];
            out[o++] = hex[ch & 15];
        }
    }
    if (name[i] && o + 4 <= cap) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = 0;
    return out;
}
