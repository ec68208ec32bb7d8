#ifndef TIDINGS_XML_ARENA_H
#define TIDINGS_XML_ARENA_H
/* A bump allocator for libxml2's parse of one document (see xml_arena.c). */

/* Routes libxml2's allocator through the arena hooks; idempotent, any thread. */
void tidings_arena_install(void);

/* Opaque arena: the memory of one parsed document. */
typedef struct tidings_arena tidings_arena;

/* Starts routing this thread's libxml2 allocations into a new arena; NULL when no
   arena could be made (allocations then go to malloc as before). */
tidings_arena *tidings_arena_begin(void);

/* Stops routing this thread's allocations into the arena; its memory stays valid. */
void tidings_arena_end(tidings_arena *arena);

/* Returns the arena's memory for reuse. Only after everything allocated in it is dead
   (xmlFreeDoc of its document has run). NULL is accepted. */
void tidings_arena_release(tidings_arena *arena);
#endif
