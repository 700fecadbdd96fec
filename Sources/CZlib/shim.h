// The system zlib (Debian's zlib1g-dev), for reading gzip-compressed kernel logs.
#include <zlib.h>
