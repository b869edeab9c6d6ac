/* np-checkouts-page-private.h — what the page's files share (np-checkouts-page.c: the
 * list; np-checkouts-page-work.c: refresh, import, look up and export). */
#pragma once

#include "np-checkout-detail.h"
#include "np-checkout-list-model.h"
#include "np-checkout-list-header.h"
#include "np-checkouts-page.h"
#include "np-row-list.h"

G_BEGIN_DECLS

struct _NpCheckoutsPage
{
  AdwBin               parent_instance;

  NpWorkspace         *workspace;
  NpCheckoutListModel *model;
  GtkMultiSelection   *selection;
  GCancellable        *cancellable;       /* the page's life */
  GCancellable        *work_cancellable;  /* the running refresh, import or export */
  guint                update_source;
  guint                total;             /* every checkout of the account */
  gboolean             total_stale;       /* the ledger changed since total was counted */

  AdwToastOverlay     *toast_overlay;
  GtkStack            *page_stack;
  GtkStack            *list_stack;
  GtkSearchEntry      *search_entry;
  GtkDropDown         *status_dropdown;
  GtkDropDown         *date_dropdown;
  GtkRevealer         *progress_revealer;
  GtkProgressBar      *progress_bar;
  NpCheckoutListHeader *list_header;
  NpRowList           *list_view;
  GtkLabel            *count_label;
  AdwStatusPage       *error_status;
  AdwStatusPage       *no_results_status;
  GtkStack            *detail_stack;
  NpCheckoutDetail    *detail;            /* in detail_stack once a checkout is shown */
  AdwLeaflet          *leaflet;           /* list and detail, one column when narrow */
  GtkWidget           *list_box;
  GtkWidget           *detail_box;
  GtkBox              *toolbar;
  GtkWidget           *filters_box;
  GtkBox              *filters_row;
  guint                filters_source;    /* moving the filters after a fold */
};

/* Counts, the status page to show and action enablement, after any change. */
void       np_checkouts_page_update_state   (NpCheckoutsPage *self);
/* The ids of the selected rows; NULL when nothing is selected. */
GStrv      np_checkouts_page_dup_selected_ids (NpCheckoutsPage *self);
/* Selects @checkout_id when it is in the list; FALSE otherwise. */
gboolean   np_checkouts_page_select         (NpCheckoutsPage *self,
                                             const char      *checkout_id);

void       np_checkouts_page_clear_filters  (NpCheckoutsPage *self);

/* np-checkouts-page-work.c */
void       np_checkouts_page_install_actions (GtkWidgetClass *widget_class);
void       np_checkouts_page_lookup         (NpCheckoutsPage *self);
void       np_checkouts_page_refresh        (NpCheckoutsPage *self);
void       np_checkouts_page_import         (NpCheckoutsPage *self,
                                             const char      *text);
void       np_checkouts_page_export         (NpCheckoutsPage *self);
void       np_checkouts_page_cancel_work    (NpCheckoutsPage *self);
gboolean   np_checkouts_page_is_working     (NpCheckoutsPage *self);

G_END_DECLS
