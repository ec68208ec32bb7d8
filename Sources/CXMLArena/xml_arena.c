/*
 * A bump allocator for libxml2's parse of one document.
 *
 * Parsing a page makes tens of thousands of small allocations (nodes, attribute nodes, text
 * copies, dictionary pools) that all die together in xmlFreeDoc; through glibc malloc they
 * were a third of the parse (malloc, free, consolidation: perf on devsplit/fit). Between
 * tidings_arena_begin and tidings_arena_end, the libxml2 allocations of the calling thread
 * are carved from 256 KiB chunks of one reserved address range; xmlFree of a pointer in that
 * range does nothing, and the chunks are recycled when the document is released.
 *
 * Any thread may free any pointer: xmlFree tells arena memory from malloc memory by address
 * alone, so a document parsed on one thread can be read and freed on another. Outside a
 * begin/end pair every hook forwards to malloc/realloc/free unchanged.
 */
#include "xml_arena.h"

#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/xmlmemory.h>

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Address range reserved once (MAP_NORESERVE: only touched pages cost memory). */
#define REGION_BYTES ((size_t)16 << 30)
#define CHUNK_BYTES ((size_t)256 << 10)
/* Larger requests (the page's input buffer, big text runs) go to malloc. */
#define LARGE_BYTES ((size_t)32 << 10)
/* Free chunks kept resident for the next document (32 MiB); more are given back to the OS. */
#define RESIDENT_FREE_CHUNKS 128
/* Each block starts with its size (for realloc); blocks are 8-byte aligned, as libxml2 needs. */
#define HEADER_BYTES 8

struct chunk {
    struct chunk *next;
    int resident;
};

struct tidings_arena {
    struct chunk *chunks;  /* chunks in use, newest first */
    char *cursor;          /* next free byte of the newest chunk */
    char *limit;           /* end of the newest chunk */
    char *last_block;      /* the latest block (grown in place by realloc) */
};

static char *region_start;
static char *region_end;
static char *region_cursor;  /* chunks below it were handed out at least once */
static struct chunk *free_chunks;
static int resident_free_chunks;
static pthread_mutex_t chunks_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t install_once = PTHREAD_ONCE_INIT;
static __thread struct tidings_arena *current;

static inline int in_region(const void *p) {
    return (const char *)p >= region_start && (const char *)p < region_end;
}

static struct chunk *take_chunk(void) {
    struct chunk *c = NULL;
    pthread_mutex_lock(&chunks_lock);
    if (free_chunks != NULL) {
        c = free_chunks;
        free_chunks = c->next;
        if (c->resident) resident_free_chunks--;
    } else if (region_cursor + CHUNK_BYTES <= region_end) {
        c = (struct chunk *)region_cursor;
        region_cursor += CHUNK_BYTES;
    }
    pthread_mutex_unlock(&chunks_lock);
    if (c != NULL) c->resident = 1;
    return c;
}

/* A block of `size` bytes from the arena, or NULL when no chunk is left. */
static void *bump(struct tidings_arena *a, size_t size) {
    size_t need = HEADER_BYTES + ((size + 7) & ~(size_t)7);
    if (a->cursor == NULL || (size_t)(a->limit - a->cursor) < need) {
        struct chunk *c = take_chunk();
        if (c == NULL) return NULL;
        c->next = a->chunks;
        a->chunks = c;
        a->cursor = (char *)c + ((sizeof(struct chunk) + 7) & ~(size_t)7);
        a->limit = (char *)c + CHUNK_BYTES;
    }
    char *block = a->cursor;
    *(size_t *)block = need - HEADER_BYTES;
    a->cursor += need;
    a->last_block = block;
    return block + HEADER_BYTES;
}

static void *arena_malloc(size_t size) {
    struct tidings_arena *a = current;
    if (a != NULL && size <= LARGE_BYTES) {
        void *p = bump(a, size);
        if (p != NULL) return p;
    }
    return malloc(size);
}

static void arena_free(void *p) {
    if (p == NULL || in_region(p)) return;
    free(p);
}

static void *arena_realloc(void *p, size_t size) {
    if (p == NULL) return arena_malloc(size);
    if (!in_region(p)) return realloc(p, size);
    char *block = (char *)p - HEADER_BYTES;
    size_t old = *(size_t *)block;
    if (size <= old) return p;
    struct tidings_arena *a = current;
    if (a != NULL && block == a->last_block && size <= LARGE_BYTES) {
        size_t grown = (size + 7) & ~(size_t)7;
        if ((size_t)(a->limit - ((char *)p)) >= grown) {
            *(size_t *)block = grown;
            a->cursor = (char *)p + grown;
            return p;
        }
    }
    void *moved = arena_malloc(size);
    if (moved != NULL) memcpy(moved, p, old);
    return moved;
}

static char *arena_strdup(const char *s) {
    size_t n = strlen(s) + 1;
    char *d = arena_malloc(n);
    if (d != NULL) memcpy(d, s, n);
    return d;
}

static void install(void) {
    void *r = mmap(NULL, REGION_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (r == MAP_FAILED) return;  /* no arena: libxml2 keeps malloc */
    region_start = r;
    region_end = region_start + REGION_BYTES;
    region_cursor = region_start;
    xmlMemSetup(arena_free, arena_malloc, arena_realloc, arena_strdup);
}

void tidings_arena_install(void) { pthread_once(&install_once, install); }

tidings_arena *tidings_arena_begin(void) {
    if (region_start == NULL) return NULL;
    struct tidings_arena *a = calloc(1, sizeof(struct tidings_arena));
    if (a == NULL) return NULL;
    current = a;
    return a;
}

void tidings_arena_end(tidings_arena *arena) {
    if (current == arena) current = NULL;
}

void tidings_arena_release(tidings_arena *arena) {
    if (arena == NULL) return;
    if (current == arena) current = NULL;
    struct chunk *c = arena->chunks;
    while (c != NULL) {
        struct chunk *next = c->next;
        pthread_mutex_lock(&chunks_lock);
        int keep = resident_free_chunks < RESIDENT_FREE_CHUNKS;
        if (keep) resident_free_chunks++;
        pthread_mutex_unlock(&chunks_lock);
        if (!keep) madvise(c, CHUNK_BYTES, MADV_DONTNEED);  /* zero pages on next use */
        c->resident = keep;
        pthread_mutex_lock(&chunks_lock);
        c->next = free_chunks;
        free_chunks = c;
        pthread_mutex_unlock(&chunks_lock);
        c = next;
    }
    free(arena);
}
