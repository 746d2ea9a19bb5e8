/* find.h: person search for the screens: the queue's search over every case, and the intake's match step. */
#ifndef FD_TUI_FIND_H
#define FD_TUI_FIND_H

#include <stddef.h>
#include <stdint.h>

#include "core/match.h"
#include "core/queue.h"
#include "store/store.h"
#include "tui/state/state.h"

/*
 * The queue's rows for a search (f->search) through every case, open and
 * closed (match_find over the text, split by match_query_parse), best first;
 * the district and route filters still apply. The rows' keys are their
 * places in the ranking (TUI_FIND_TOP for the best, one less for each
 * after), so that the queue pages through them as through the log.
 */
#define TUI_FIND_TOP (UINT64_C(1) << 62)
int tui_find_page(struct store *s, const struct queue_filter *f, uint64_t key, int newer,
    struct queue_row *rows, size_t n, int *more, char **cause);
/* One match as a queue row (its key is given). */
void tui_find_row(const struct match_result *m, uint64_t key, struct queue_row *row);

/*
 * The intake's match step: before a new case id is made for a contact with a
 * blank id, the likely matches for the child typed are listed, open and
 * closed; choosing one links the contact to that case, and "none of these"
 * is the officer's recorded choice (route_decision's person_match).
 */
struct tui_match_step {
	int showing;			/* the step is on screen */
	struct match_result res[MATCH_MAX];
	size_t n;
	struct tui_list list;		/* the matches, then "none of these" */
	char asked[512];		/* the name, date of birth and district searched for */
	int answered;			/* an answer holds for `asked` */
	int none;			/* the answer: none of these (else one was linked) */
	int shown;			/* matches shown when it was answered */
	char id_checked[512];		/* a typed id and the child it was confirmed for */
};

/*
 * What the intake form says of the child, as a query: its fields are found by
 * their draft keys (child_name, child_dob_age, district, nhs_number), so that
 * a form built another way still works. dob holds the date of birth, if one
 * was typed rather than an age; key (keysz bytes) what the answer holds for.
 */
void tui_match_query(const struct tui_form *f, struct match_query *q, char dob[11], char *key,
    size_t keysz);
/*
 * Searches for the child the form describes: 1 when likely matches are to be
 * shown (m->showing set), 0 when there are none or the officer has answered
 * for this child already, -1 on error.
 */
int tui_match_search(struct store *s, const struct tui_form *f, struct tui_match_step *m,
    char **cause);
/*
 * Takes the answer at the cursor: the chosen case's id into the form's case
 * id field, or for "none of these" nothing. The step is hidden either way.
 */
void tui_match_answer(struct tui_match_step *m, struct tui_form *f);
/*
 * A case id typed for an existing case: 1 (and what differs, in msg) when the
 * case's stored name or date of birth differs from the form's and the officer
 * has not yet been told for this id and child, so that F2 must be pressed
 * again; 0 to go on; -1 on error. msg names no child.
 */
int tui_match_check_id(struct store *s, const struct tui_form *f, const char *id,
    struct tui_match_step *m, char *msg, size_t msgsz, char **cause);
/* The answer as a decision records it: "none", "linked" or NULL (no step was shown). */
const char *tui_match_choice(const struct tui_match_step *m);

#endif
