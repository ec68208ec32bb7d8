#ifndef TIDINGS_CCURL_SHIM_H
#define TIDINGS_CCURL_SHIM_H
#include <curl/curl.h>
#include <sys/prctl.h>

/* curl_easy_setopt and friends are C variadics, which Swift cannot call:
   one typed wrapper per argument kind. */
static inline CURLcode tidings_easy_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode tidings_easy_setopt_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode tidings_easy_setopt_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode tidings_easy_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode tidings_easy_setopt_off_t(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode tidings_easy_setopt_write_callback(CURL *h, CURLoption o, size_t (*f)(char *, size_t, size_t, void *)) { return curl_easy_setopt(h, o, f); }
static inline CURLcode tidings_easy_setopt_opensocket_callback(CURL *h, curl_opensocket_callback f) { return curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, f); }
static inline CURLcode tidings_easy_setopt_xferinfo_callback(CURL *h, curl_xferinfo_callback f) { return curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, f); }

static inline CURLcode tidings_easy_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode tidings_easy_getinfo_string(CURL *h, CURLINFO i, char **v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode tidings_easy_getinfo_double(CURL *h, CURLINFO i, double *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode tidings_easy_getinfo_off_t(CURL *h, CURLINFO i, curl_off_t *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode tidings_easy_getinfo_pointer(CURL *h, CURLINFO i, void **v) { return curl_easy_getinfo(h, i, v); }

static inline CURLMcode tidings_multi_setopt_long(CURLM *m, CURLMoption o, long v) { return curl_multi_setopt(m, o, v); }

/* The address curl is about to connect to (after DNS, on every hop): struct curl_sockaddr
   ends in a struct sockaddr that curl backs with enough room for IPv6. */
static inline const struct sockaddr *tidings_sockaddr_address(const struct curl_sockaddr *a) { return &a->addr; }
/* CURLMsg keeps the result code in a union. */
static inline CURLcode tidings_multi_message_result(const CURLMsg *m) { return m->data.result; }

static inline CURLcode tidings_global_init(void) { return curl_global_init(CURL_GLOBAL_DEFAULT); }
/* Names the calling thread for the kernel (ps, top -H, /proc); prctl is variadic too. */
static inline void tidings_name_current_thread(const char *name) { prctl(PR_SET_NAME, name, 0, 0, 0); }

#endif
