/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-row-list.h — a scrolled list of rows of one height that has widgets only for
 * the rows on show. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define NP_TYPE_ROW_LIST (np_row_list_get_type ())
G_DECLARE_FINAL_TYPE (NpRowList, np_row_list, NP, ROW_LIST, GtkWidget)

/* Makes an empty row. Every row must measure the same height. */
typedef GtkWidget *(*NpRowListMakeRow) (gpointer user_data);
/* Shows @item (NULL: nothing) in @row. Called as the list scrolls and its model
 * changes: it may queue a draw of @row, not a resize. */
typedef void       (*NpRowListBindRow) (GtkWidget *row,
                                        gpointer   item,
                                        gpointer   user_data);

GtkWidget         *np_row_list_new               (void);
void               np_row_list_set_row_functions (NpRowList         *self,
                                                  NpRowListMakeRow   make_row,
                                                  NpRowListBindRow   bind_row,
                                                  gpointer           user_data);
GtkSelectionModel *np_row_list_get_model         (NpRowList         *self);
void               np_row_list_set_model         (NpRowList         *self,
                                                  GtkSelectionModel *model);
/* Scrolls the least that shows the row at @position whole. */
void               np_row_list_scroll_to         (NpRowList         *self,
                                                  guint              position);
/* The row widget showing @position, or NULL when it is not on show. */
GtkWidget         *np_row_list_get_row_widget    (NpRowList         *self,
                                                  guint              position);

G_END_DECLS
