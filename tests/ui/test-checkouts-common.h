/* test-checkouts-common.h — what the Checkouts page's ui tests share: a page in a
 * real window on the real sandbox, widget lookups, waits and screenshots. */
#pragma once

#include <adwaita.h>

#include "np-checkout-detail-private.h"
#include "np-checkouts-page-private.h"
#include "np-test-sandbox.h"
#include "np-test-utils.h"
#include "np-test-workspace.h"
#include "test-app-common.h"

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

/* The lookups, waits and screenshots of test-app-common.h, under the names
 * these tests were written with. */
#define find_toplevel          app_find_toplevel
#define wait_toplevel          app_wait_toplevel
#define wait_toplevel_gone     app_wait_toplevel_gone
#define find_descendant        app_find_descendant
#define find_label_containing  app_find_label
#define save_screenshot        app_save_widget_screenshot

/* Answers the mapped AdwMessageDialog with @response, and returns its heading. */
char       *answer_message_dialog  (const char    *response);

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

G_END_DECLS
