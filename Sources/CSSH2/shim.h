#ifndef PAKLOG_CSSH2_SHIM_H
#define PAKLOG_CSSH2_SHIM_H
#include <libssh2.h>
#include <libssh2_sftp.h>
#endif
