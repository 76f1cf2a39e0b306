#ifndef TRADEWIND_CZLIB_SHIM_H
#define TRADEWIND_CZLIB_SHIM_H
#include <zlib.h>
#endif
