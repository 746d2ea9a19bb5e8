/* signoff.c: the sign-off form: approve a decision, or return it with a comment. */
#include "tui/state/forms.h"

#include <string.h>

static const char *const verdict_values[] = { "approve", "return" };
static const char *const verdict_labels[] = {
	"Approve the decision", "Return it with a comment",
};

static const char *
valid_comment(const struct tui_form *f, size_t i, char *msg, size_t msgsz)
{
	if (f->f[SF_VERDICT].choice == 0)
		return NULL;
	return tui_valid_rationale(f, i, msg, msgsz, "comment");
}

void
tui_signoff_init(struct tui_form *f)
{
	struct tui_field *v;

	memset(f, 0, sizeof *f);
	f->n = SF_COUNT;
	f->f = v = xcalloc(SF_COUNT, sizeof *f->f);
	tui_field_choice(&v[SF_VERDICT], "verdict", "Verdict", verdict_values, verdict_labels, 2);
	tui_field_narrative(&v[SF_COMMENT], "comment", "Comment", 0, 3, valid_comment);
}

int
tui_signoff_approve(const struct tui_form *f)
{
	return f->f[SF_VERDICT].choice == 0;
}
