/* np-checkout-detail-private.h — what the detail's files share (np-checkout-detail.c:
 * showing the checkout; np-checkout-actions.c: what can be done to it). */
#pragma once

#include "np-checkout-detail.h"
#include "np-journal-list-model.h"
#include "np-qr-code.h"
#include "np-status-badge.h"

G_BEGIN_DECLS

struct _NpCheckoutDetail
{
  AdwBin              parent_instance;

  NpWorkspace        *workspace;
  NpLedger           *ledger;          /* followed for changes of the shown checkout */
  char               *checkout_id;
  NpCheckout         *checkout;        /* NULL before it was retrieved */
  NpJournalListModel *journal;
  GCancellable       *cancellable;
  guint               reload_source;
  gboolean            refreshing;

  GtkStack           *stack;
  AdwStatusPage      *not_retrieved_status;
  GtkLabel           *amount_label;
  NpStatusBadge      *status_badge;
  GtkLabel           *refunded_label;
  GtkWidget          *capture_button;
  GtkWidget          *unknown_box;
  AdwPreferencesGroup *link_group;
  AdwActionRow       *link_row;
  AdwActionRow       *refused_link_row;
  NpQrCode           *qr_code;
  AdwActionRow       *identifier_row;
  AdwActionRow       *id_row;
  AdwActionRow       *message_row;
  AdwActionRow       *customer_row;
  AdwActionRow       *capture_row;
  AdwActionRow       *save_card_row;
  AdwActionRow       *return_url_row;
  AdwActionRow       *cancel_url_row;
  AdwActionRow       *template_row;
  AdwActionRow       *created_row;
  AdwActionRow       *updated_row;
  AdwPreferencesGroup *refunds_group;
  GtkListBox         *refunds_list;
  AdwPreferencesGroup *metadata_group;
  GtkListBox         *metadata_list;
  GtkListBox         *journal_list;
  GtkTextView        *json_view;
};

/* Reads the checkout from the ledger again and shows it. */
void np_checkout_detail_reload            (NpCheckoutDetail *self);
/* Enables the actions the checkout's status and the workspace allow. */
void np_checkout_detail_update_actions    (NpCheckoutDetail *self);

/* A title and value row, as the detail's lists show them. */
GtkWidget *np_checkout_detail_new_value_row (const char *title,
                                             const char *subtitle);

/* np-checkout-actions.c */
GtkWidget *np_checkout_detail_create_journal_row (gpointer item,
                                                  gpointer user_data);
void np_checkout_detail_install_actions   (GtkWidgetClass   *widget_class);
/* Shows the "outcome unknown" box when the journal has unsettled entries. */
void np_checkout_detail_update_unknown    (NpCheckoutDetail *self);

G_END_DECLS
