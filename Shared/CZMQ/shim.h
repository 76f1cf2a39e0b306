#ifndef TRADEWIND_CZMQ_SHIM_H
#define TRADEWIND_CZMQ_SHIM_H
#include <zmq.h>
#endif
