#ifndef PAKLOG_CZLIB_SHIM_H
#define PAKLOG_CZLIB_SHIM_H
// AS2 compression (RFC 5402, CMS CompressedData with zlib, RFC 3274): Debian's OpenSSL is built
// without zlib, so the gateway calls zlib itself.
#include <zlib.h>
#endif
