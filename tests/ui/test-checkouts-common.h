/* test-checkouts-common.h — what the Checkouts page's ui tests share: a page in a
 * real window on the real sandbox, widget lookups, waits and screenshots. */
#pragma once

#include <adwaita.h>

#include "np-checkout-detail-private.h"
#include "np-checkouts-page-private.h"
#include "np-test-sandbox.h"
#include "np-test-utils.h"
#include "np-test-workspace.h"

G_BEGIN_DECLS

#define TIMEOUT_MS 20000

typedef struct {
  NpTestWorkspace *tw;
  GtkWindow       *window;
  NpCheckoutsPage *page;
} Fixture;

void        fixture_set_up         (Fixture       *f,
                                    gconstpointer  data);
void        fixture_tear_down      (Fixture       *f,
                                    gconstpointer  data);

/* The mapped toplevel of @type, or NULL; and a wait for one to appear / go. */
GtkWindow  *find_toplevel          (GType          type);
GtkWindow  *wait_toplevel          (GType          type);
void        wait_toplevel_gone     (GType          type);
/* Answers the mapped AdwMessageDialog with @response, and returns its heading. */
char       *answer_message_dialog  (const char    *response);

/* The first descendant of @root of @type (mapped or not). */
GtkWidget  *find_descendant        (GtkWidget     *root,
                                    GType          type);
/* A mapped GtkLabel under @root whose text contains @text. */
GtkWidget  *find_label_containing  (GtkWidget     *root,
                                    const char    *text);

/* Selects @checkout_id on the page and waits for the detail to show it. */
void        select_checkout        (Fixture       *f,
                                    const char    *checkout_id);
/* Waits until the ledger's row of @checkout_id has @status ("paid", "partialRefund"...). */
void        wait_ledger_status     (Fixture       *f,
                                    const char    *checkout_id,
                                    const char    *status);
/* The detail's status badge text, as the server spelled it. */
const char *detail_status          (Fixture       *f);
gboolean    action_enabled         (GtkWidget     *widget,
                                    const char    *action);

/* Saves a PNG of @widget's window when NP_SCREENSHOT_DIR is set. */
void        save_screenshot        (GtkWidget     *widget,
                                    const char    *name);

G_END_DECLS
