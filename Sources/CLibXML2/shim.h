#ifndef TIDINGS_CLIBXML2_SHIM_H
#define TIDINGS_CLIBXML2_SHIM_H
/* Debian builds libxml2 with ICU; Foundation carries its own ICU. Seeing both
   definitions of UErrorCode breaks clean builds, so hide libxml2's ICU use. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/xmlerror.h>

/* xmlFree is a global function pointer; Swift 6 rejects touching it. */
static inline void tidings_xml_free(void *p) { xmlFree(p); }

static void tidings_xml_silent_error(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }
static void tidings_xml_silent_structured(void *ctx, xmlErrorPtr e) { (void)ctx; (void)e; }

/* Call once before parsing on any thread: initializes the parser and
   silences libxml2's error printing (its handlers are variadic). */
static inline void tidings_xml_init(void) {
    xmlInitParser();
    xmlSetGenericErrorFunc(NULL, tidings_xml_silent_error);
    xmlSetStructuredErrorFunc(NULL, tidings_xml_silent_structured);
}
#endif
