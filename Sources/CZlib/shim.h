#ifndef TIDINGS_CZLIB_SHIM_H
#define TIDINGS_CZLIB_SHIM_H
#include <zlib.h>

/* deflateInit2 is a macro over deflateInit2_: Swift cannot call macros. */
static inline int tidings_deflate_init_gzip(z_streamp stream, int level) {
    /* windowBits 15 + 16 selects the gzip wrapper (RFC 1952); memLevel 8 is zlib's default. */
    return deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}
#endif
