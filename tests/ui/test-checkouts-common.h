/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-checkouts-common.h — what the Checkouts page's ui tests share: a page in a
 * real window on the real sandbox, widget lookups, waits and screenshots. */
#pragma once

#include <adwaita.h>

#include "np-checkout-detail.h"
#include "np-checkout-list-header.h"
#include "np-checkout-list-model.h"
#include "np-checkouts-page.h"
#include "np-row-list.h"
#include "np-qr-code.h"
#include "np-status-badge.h"
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

/* The page and its detail seen from outside: their widgets by template id, the
 * model and selection its list shows, and whether work is still queued. */
#define PAGE_CHILD(f, type, name) \
  ((type *) gtk_widget_get_template_child (GTK_WIDGET ((f)->page), NP_TYPE_CHECKOUTS_PAGE, name))
#define DETAIL_CHILD(detail, type, name) \
  ((type *) gtk_widget_get_template_child (GTK_WIDGET (detail), NP_TYPE_CHECKOUT_DETAIL, name))

/* The detail, made when a checkout is first shown; NULL before. */
NpCheckoutDetail    *page_detail        (Fixture       *f);
GtkSelectionModel   *page_selection     (Fixture       *f);
NpCheckoutListModel *page_model         (Fixture       *f);
/* Selects the row of @checkout_id as a click would; FALSE when it is not listed. */
gboolean    page_select            (Fixture       *f,
                                    const char    *checkout_id);
/* Empties the search and sets both filters back to "All", as a person would. */
void        page_clear_filters     (Fixture       *f);
/* A refresh, import or export is running: its progress bar is revealed. */
gboolean    page_is_working        (Fixture       *f);
/* @object still has an idle or timeout queued on the main context (a page's
 * count after a burst of changes, a detail's reload). */
gboolean    idle_pending           (gpointer       object);

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
