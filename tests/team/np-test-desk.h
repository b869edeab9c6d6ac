/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-test-desk.h — one desk of a team as a process of its own
 * (np-team-desk-helper), driven by lines: for the team tests and bench-team.
 *
 * The desk's XDG homes are under the home it is given (its own ledger file and
 * settings), its stderr goes to desk.log there, and the secrets go on its stdin,
 * never in argv. Lines are read as they come and kept until asked for.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  char             *name;
  char             *home;
  GSubprocess      *process;
  GOutputStream    *in;
  GDataInputStream *out;
  GQueue            lines;
  gboolean          ended;
} NpTestDesk;

/* Starts @helper_path as desk @name on @target ("-": a local-only desk), with
 * @password and @api_key on stdin, and waits until it says "online"; the
 * "resume-from N" line it said before in @out_resume (may be NULL). */
NpTestDesk  *np_test_desk_spawn     (const char  *helper_path,
                                     const char  *name,
                                     const char  *home,
                                     const char  *target,
                                     const char  *base_url,
                                     guint        lease_seconds,
                                     const char  *password,
                                     const char  *api_key,
                                     char       **out_resume);
void         np_test_desk_send      (NpTestDesk  *desk,
                                     const char  *format,
                                     ...) G_GNUC_PRINTF (2, 3);
/* The next line starting with @prefix (other lines stay queued). A line with
 * "error" in it that the caller did not wait for (a prefix other than "refund"
 * or "tested") ends the test at once, saying what it was; so does the desk
 * ending first (with its log). */
char        *np_test_desk_wait_line (NpTestDesk  *desk,
                                     const char  *prefix,
                                     guint        timeout_ms);
/* An NpTestCondition: the desk's process has ended. */
gboolean     np_test_desk_ended     (gpointer     desk);
/* Kills the desk unless it ended, and frees it. */
void         np_test_desk_free      (NpTestDesk  *desk);

G_END_DECLS
