#ifndef TRADEWIND_CLIBPQ_SHIM_H
#define TRADEWIND_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
