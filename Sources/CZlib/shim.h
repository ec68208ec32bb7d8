#ifndef TIDINGS_CZLIB_SHIM_H
#define TIDINGS_CZLIB_SHIM_H
#include <zlib.h>

/* deflateInit2 is a macro over deflateInit2_: Swift cannot call macros. */
static inline int tidings_deflate_init_gzip(z_streamp stream, int level) {
    /* windowBits 15 + 16 selects the gzip wrapper (RFC 1952); memLevel 8 is zlib's default. */
    return deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}
/* inflateInit2 is a macro too; windowBits 15 + 16 reads the gzip wrapper only. */
static inline int tidings_inflate_init_gzip(z_streamp stream) {
    return inflateInit2(stream, 15 + 16);
}
#endif
