#ifndef PAKLOG_CXML2_SHIM_H
#define PAKLOG_CXML2_SHIM_H
#include <libxml/xmlversion.h>
// Keep libxml2's ICU headers out: Foundation ships its own ICU and the two clash
// ("'UErrorCode' has different definitions in different modules").
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#endif
