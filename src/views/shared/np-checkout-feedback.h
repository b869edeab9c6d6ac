/* np-checkout-feedback.h — toasts and confirmations shared by the checkout views. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Shows @title in the nearest AdwToastOverlay above @widget (or logs it when none). */
AdwToast *np_checkout_add_toast      (GtkWidget  *widget,
                                      const char *title);
/* A toast with the error as np_workspace_describe_error () phrases it. */
void      np_checkout_toast_error    (GtkWidget    *widget,
                                      const GError *error);

typedef void (*NpCheckoutConfirmed) (GtkWidget *owner);

/* Asks "@heading / @body" with Cancel and @confirm_label (destructive). With @live,
 * a second dialog names the account as live and repeats @live_body before
 * @confirmed is called. Nothing is called when the person cancels, or when
 * @owner is gone by then. */
void      np_checkout_confirm        (GtkWidget           *owner,
                                      const char          *heading,
                                      const char          *body,
                                      const char          *confirm_label,
                                      gboolean             live,
                                      const char          *live_body,
                                      NpCheckoutConfirmed  confirmed);
/* The same, calling @cancelled (when not NULL) if the person says no. */
void      np_checkout_confirm_full   (GtkWidget           *owner,
                                      const char          *heading,
                                      const char          *body,
                                      const char          *confirm_label,
                                      gboolean             live,
                                      const char          *live_body,
                                      NpCheckoutConfirmed  confirmed,
                                      NpCheckoutConfirmed  cancelled);

G_END_DECLS
