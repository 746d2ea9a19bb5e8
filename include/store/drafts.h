/* drafts.h: unfinished intake forms, saved as the person types so nothing is lost. */
#ifndef FD_DRAFTS_H
#define FD_DRAFTS_H

#include <stddef.h>

#include "store/store.h"

#define DRAFT_ID_MAX 64

/* Saves (replaces) the user's draft `id`: any bytes, typically a JSON object. */
int draft_save(struct store *s, const char *user, const char *id, const char *data, size_t len,
    char **cause);
/* Loads it into *data (malloc'd); 1 if there is none. */
int draft_load(struct store *s, const char *user, const char *id, char **data, size_t *len,
    char **cause);
int draft_delete(struct store *s, const char *user, const char *id, char **cause);
/* The user's draft ids, newest first (malloc'd array of malloc'd strings). */
int draft_list(struct store *s, const char *user, char ***ids, size_t *n, char **cause);

#endif
