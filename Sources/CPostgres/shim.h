#ifndef TIDINGS_CPOSTGRES_SHIM_H
#define TIDINGS_CPOSTGRES_SHIM_H
#include <libpq-fe.h>
#endif
