/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-feedback.c — toasts, confirmations and form messages for every view.
 *
 * Capture, refund and delete cannot be undone, so each goes through one
 * AdwMessageDialog that names the amount; on a live account the heading says so
 * and a tick in the same dialog is needed, because test and live look the same
 * everywhere else.
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

static GtkWindow *
owner_window (GtkWidget *owner)
{
  GtkRoot *root = owner != NULL ? gtk_widget_get_root (owner) : NULL;

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

void
np_feedback_present_dialog (GtkWidget *owner,
                            GtkWindow *dialog)
{
  g_return_if_fail (GTK_IS_WIDGET (owner));
  g_return_if_fail (GTK_IS_WINDOW (dialog));

  gtk_window_set_transient_for (dialog, owner_window (owner));
  gtk_window_present (dialog);
}

void
np_feedback_message (GtkWidget  *owner,
                     const char *heading,
                     const char *body)
{
  GtkWidget *dialog;

  g_return_if_fail (owner == NULL || GTK_IS_WIDGET (owner));

  dialog = adw_message_dialog_new (owner_window (owner), heading, body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  np_feedback_name_buttons (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
np_feedback_name_buttons (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (GTK_IS_BUTTON (root))
    {
      GtkButton *button = GTK_BUTTON (root);
      GtkWidget *child = gtk_button_get_child (button);

      /* The button's own label is its raw text ("_Cancel"); GTK 4.8 adds the
       * label child it is labelled by ("Cancel"). The child alone names it. */
      if (gtk_button_get_use_underline (button) && gtk_button_get_label (button) != NULL)
        gtk_accessible_reset_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL);
      else if (GTK_IS_IMAGE (child) &&
               g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (child)), "edit-find-symbolic") == 0)
        {
          gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search"), -1);
        }
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    np_feedback_name_buttons (child);
}

/* The password row's peek button shows view-reveal/view-conceal (its hidden
 * apply button, also a GtkButton, does not). */
static GtkWidget *
find_peek_button (GtkWidget *root)
{
  if (GTK_IS_BUTTON (root))
    {
      const char *icon = gtk_button_get_icon_name (GTK_BUTTON (root));

      if (icon != NULL && g_str_has_prefix (icon, "view-"))
        return root;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_peek_button (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

void
np_feedback_name_peek_button (GtkWidget  *row,
                              const char *name)
{
  GtkWidget *peek;

  g_return_if_fail (ADW_IS_PASSWORD_ENTRY_ROW (row));

  peek = find_peek_button (row);
  if (peek != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (peek), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

typedef struct {
  GWeakRef             owner;
  NpFeedbackConfirmed  confirmed;
  NpFeedbackConfirmed  cancelled;
} Confirmation;

static void
on_response (AdwMessageDialog *dialog,
             const char       *response,
             Confirmation     *confirmation)
{
  g_autoptr(GtkWidget) owner = g_weak_ref_get (&confirmation->owner);

  /* Once: a second response must not reach freed data. */
  g_signal_handlers_disconnect_by_data (dialog, confirmation);
  if (owner != NULL && g_strcmp0 (response, "confirm") == 0)
    confirmation->confirmed (owner);
  else if (owner != NULL && confirmation->cancelled != NULL)
    confirmation->cancelled (owner);

  g_weak_ref_clear (&confirmation->owner);
  g_free (confirmation);
}

static void
on_live_check_toggled (GtkCheckButton   *check,
                       AdwMessageDialog *dialog)
{
  adw_message_dialog_set_response_enabled (dialog, "confirm", gtk_check_button_get_active (check));
}

void
np_feedback_confirm (GtkWidget           *owner,
                     const char          *what,
                     const char          *body,
                     const char          *confirm_label,
                     gboolean             live,
                     NpFeedbackConfirmed  confirmed,
                     NpFeedbackConfirmed  cancelled)
{
  Confirmation *confirmation;
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;

  g_return_if_fail (GTK_IS_WIDGET (owner));
  g_return_if_fail (what != NULL);
  g_return_if_fail (confirmed != NULL);

  if (live)
    /* Translators: %s is what is about to be done, e.g. "Refund 25.50 SEK". */
    heading = g_strdup_printf (_("%s on the live account?"), what);
  else
    /* Translators: %s is what is about to be done, e.g. "Refund 25.50 SEK". */
    heading = g_strdup_printf (_("%s?"), what);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (owner_window (owner), heading, body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "confirm", confirm_label, NULL);
  adw_message_dialog_set_response_appearance (dialog, "confirm", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");

  if (live)
    {
      /* Test and live look the same everywhere else: one deliberate tick, in
       * the same dialog, before real money or a real customer is touched. */
      GtkWidget *check = gtk_check_button_new_with_label (_("I mean the live account: real money, real customers"));

      gtk_widget_set_halign (check, GTK_ALIGN_CENTER);
      adw_message_dialog_set_extra_child (dialog, check);
      adw_message_dialog_set_response_enabled (dialog, "confirm", FALSE);
      g_signal_connect_object (check, "toggled", G_CALLBACK (on_live_check_toggled), dialog, 0);
    }

  np_feedback_name_buttons (GTK_WIDGET (dialog));

  confirmation = g_new0 (Confirmation, 1);
  g_weak_ref_init (&confirmation->owner, owner);
  confirmation->confirmed = confirmed;
  confirmation->cancelled = cancelled;
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
