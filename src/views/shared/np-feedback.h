/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-feedback.h — how every view tells a person what happened: a toast for a
 * result, one confirmation that names the amount (and, on a live account, says so
 * and asks for a tick) before what cannot be undone, and a form's working / error / done
 * message. One module, so each dialog says it the same way. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Shows @title in the nearest AdwToastOverlay above @widget (or logs it when none). */
AdwToast *np_feedback_toast          (GtkWidget  *widget,
                                      const char *title);
/* A toast with the error as np_workspace_describe_error () phrases it. */
void      np_feedback_toast_error    (GtkWidget    *widget,
                                      const GError *error);

/* Presents @dialog over the window @owner is in (transient for it, so it is
 * centred and closes with it). The one way a view opens a dialog or an editor. */
void      np_feedback_present_dialog (GtkWidget  *owner,
                                      GtkWindow  *dialog);
/* Tells a person something they must read before going on: a message dialog
 * over @owner's window (none when @owner is NULL) with @heading, @body and one Close button. */
void      np_feedback_message        (GtkWidget  *owner,
                                      const char *heading,
                                      const char *body);

typedef void (*NpFeedbackConfirmed) (GtkWidget *owner);

/* The one confirmation before what cannot be undone (capture, refund, delete).
 * @what names the operation and its amount or object ("Refund 25.50 SEK"); the
 * heading asks "Refund 25.50 SEK?", or on a live account "Refund 25.50 SEK on the
 * live account?", and then @confirm_label stays off until the person ticks that
 * they mean the live account. Cancel is the default. @confirmed is called on
 * @confirm_label, @cancelled (when not NULL) otherwise; neither when @owner is
 * gone by then. */
void      np_feedback_confirm        (GtkWidget           *owner,
                                      const char          *what,
                                      const char          *body,
                                      const char          *confirm_label,
                                      gboolean             live,
                                      NpFeedbackConfirmed  confirmed,
                                      NpFeedbackConfirmed  cancelled);

/* Names the buttons GTK 4.8 and libadwaita 1.2 build themselves under @root by
 * their words, where AT-SPI would read them wrong: a message dialog's response
 * ("_Cancel Cancel" becomes "Cancel"), an icon-only search toggle ("GtkImage"
 * becomes "Search"). */
void      np_feedback_name_buttons   (GtkWidget           *root);

/* Names the peek button of @row (an AdwPasswordEntryRow), which libadwaita 1.2
 * leaves unnamed ("GtkImage"), with @name ("Show API Key"). */
void      np_feedback_name_peek_button (GtkWidget  *row,
                                        const char *name);

typedef enum {
  NP_FORM_IDLE,      /* nothing to say: the message is hidden */
  NP_FORM_WORKING,   /* "Saving…": plain text */
  NP_FORM_ERROR,     /* what went wrong: in the error style */
  NP_FORM_DONE,      /* what was done: plain text */
} NpFormState;

/* Shows @text in @label for @state; with NP_FORM_IDLE or no text the label is
 * hidden, so a screen reader never meets an empty, unnamed label. */
void      np_feedback_form_message   (GtkLabel    *label,
                                      NpFormState  state,
                                      const char  *text);

G_END_DECLS
