#ifndef PAKLOG_CMOSQUITTO_SHIM_H
#define PAKLOG_CMOSQUITTO_SHIM_H
#include <mosquitto.h>
#endif
