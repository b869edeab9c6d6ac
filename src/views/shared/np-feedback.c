/* np-feedback.c — toasts, confirmations and form messages for every view.
 *
 * Capture, refund and delete cannot be undone, so each goes through an
 * AdwMessageDialog that names the amount; a live account adds a second, explicit
 * step, because test and live look the same everywhere else.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "np-feedback.h"
#include "np-toast.h"
#include "np-workspace.h"

AdwToast *
np_feedback_toast (GtkWidget  *widget,
                   const char *title)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  AdwToast *toast = np_toast_new (title);

  adw_toast_set_timeout (toast, 8);
  if (overlay == NULL)
    {
      g_message ("%s", title);
      g_object_unref (toast);
      return NULL;
    }

  /* The overlay owns the toast; the caller may still add a button to it. */
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  return toast;
}

void
np_feedback_toast_error (GtkWidget    *widget,
                         const GError *error)
{
  g_autofree char *text = np_workspace_describe_error (error);

  np_feedback_toast (widget, text);
}

typedef struct {
  GWeakRef             owner;
  gboolean             live;
  char                *live_body;
  NpFeedbackConfirmed  confirmed;
  NpFeedbackConfirmed  cancelled;
} Confirmation;

static void
confirmation_free (Confirmation *confirmation)
{
  g_weak_ref_clear (&confirmation->owner);
  g_free (confirmation->live_body);
  g_free (confirmation);
}

static void
finish_confirmation (Confirmation *confirmation)
{
  g_autoptr(GtkWidget) owner = g_weak_ref_get (&confirmation->owner);

  if (owner != NULL)
    confirmation->confirmed (owner);
  confirmation_free (confirmation);
}

static void
cancel_confirmation (Confirmation *confirmation)
{
  g_autoptr(GtkWidget) owner = g_weak_ref_get (&confirmation->owner);

  if (owner != NULL && confirmation->cancelled != NULL)
    confirmation->cancelled (owner);
  confirmation_free (confirmation);
}

static AdwMessageDialog *
new_dialog (GtkWidget  *owner,
            const char *heading,
            const char *body,
            const char *confirm_label)
{
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (owner)), heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "confirm", confirm_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "confirm",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  return ADW_MESSAGE_DIALOG (dialog);
}

static void
on_live_response (AdwMessageDialog *dialog,
                  const char       *response,
                  Confirmation     *confirmation)
{
  /* Once: a second response must not reach freed data. */
  g_signal_handlers_disconnect_by_data (dialog, confirmation);
  if (g_strcmp0 (response, "confirm") == 0)
    finish_confirmation (confirmation);
  else
    cancel_confirmation (confirmation);
}

static void
on_response (AdwMessageDialog *dialog,
             const char       *response,
             Confirmation     *confirmation)
{
  g_autoptr(GtkWidget) owner = NULL;
  AdwMessageDialog *live_dialog;

  g_signal_handlers_disconnect_by_data (dialog, confirmation);
  if (g_strcmp0 (response, "confirm") != 0)
    {
      cancel_confirmation (confirmation);
      return;
    }

  if (!confirmation->live)
    {
      finish_confirmation (confirmation);
      return;
    }

  owner = g_weak_ref_get (&confirmation->owner);
  if (owner == NULL)
    {
      cancel_confirmation (confirmation);
      return;
    }

  live_dialog = new_dialog (owner, _("This Is a Live Account"), confirmation->live_body,
                            _("Yes, Use Real Money"));
  g_signal_connect (live_dialog, "response", G_CALLBACK (on_live_response), confirmation);
  gtk_window_present (GTK_WINDOW (live_dialog));
}

void
np_feedback_confirm (GtkWidget           *owner,
                     const char          *heading,
                     const char          *body,
                     const char          *confirm_label,
                     gboolean             live,
                     const char          *live_body,
                     NpFeedbackConfirmed  confirmed)
{
  np_feedback_confirm_full (owner, heading, body, confirm_label, live, live_body, confirmed, NULL);
}

void
np_feedback_confirm_full (GtkWidget           *owner,
                          const char          *heading,
                          const char          *body,
                          const char          *confirm_label,
                          gboolean             live,
                          const char          *live_body,
                          NpFeedbackConfirmed  confirmed,
                          NpFeedbackConfirmed  cancelled)
{
  Confirmation *confirmation;
  AdwMessageDialog *dialog;

  g_return_if_fail (GTK_IS_WIDGET (owner));
  g_return_if_fail (confirmed != NULL);

  confirmation = g_new0 (Confirmation, 1);
  g_weak_ref_init (&confirmation->owner, owner);
  confirmation->live = live;
  confirmation->live_body = g_strdup (live_body ? live_body : body);
  confirmation->confirmed = confirmed;
  confirmation->cancelled = cancelled;

  dialog = new_dialog (owner, heading, body, confirm_label);
  g_signal_connect (dialog, "response", G_CALLBACK (on_response), confirmation);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
np_feedback_form_message (GtkLabel    *label,
                          NpFormState  state,
                          const char  *text)
{
  gboolean shown = state != NP_FORM_IDLE && text != NULL && *text != '\0';

  g_return_if_fail (GTK_IS_LABEL (label));

  gtk_label_set_text (label, shown ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), shown);
  if (shown && state == NP_FORM_ERROR)
    gtk_widget_add_css_class (GTK_WIDGET (label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
}
