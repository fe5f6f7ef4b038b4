/* output: the one writer. Every output file of a build goes into a staging
 * folder beside the output folder; only a build without errors swaps it
 * into place, so a failed build leaves the previous site as it was. */
#ifndef KK_OUTPUT_H
#define KK_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../0-base/diag.h"

typedef struct out_tree out_tree;

/* The marker file that says a folder is kasikirja's output (and may be replaced). */
#define OUT_MARKER ".kasikirja-output"

/* Starts a build into out_dir: refuses an out_dir that exists but was not
 * written by kasikirja (no OUT_MARKER) or is not a folder, removes staging
 * folders left by killed builds, and creates a fresh staging folder.
 * NULL after an error. */
out_tree *out_begin(const char *out_dir, diag_list *d);

/* True when relpath is a plain relative path inside the output: segments
 * separated by '/', none empty, "." or "..", no backslash or control
 * character, not absolute. */
bool out_path_ok(const char *relpath);

/* Writes data as relpath in the staging folder, creating folders. An unsafe
 * path or a path written twice is an error and writes nothing. out_write,
 * out_copy and out_keep may be called from several threads at once (each
 * with its own d); begin, commit and abort from one. */
bool out_write(out_tree *o, const char *relpath, const char *data, size_t len, diag_list *d);
/* Copies the file at src_path to relpath (same rules as out_write). */
bool out_copy(out_tree *o, const char *relpath, const char *src_path, diag_list *d);
size_t out_count(out_tree *o);

/* {====== New files in a folder of the user's (theme export, init) ======
 * Not part of a build's output: each file is created at root/relpath
 * (folders made as needed) and an existing file is never replaced. */

/* Writes data as root/relpath only when nothing is there; false with an
 * error naming the file when it exists, the path is unsafe (out_path_ok) or
 * the write fails. A half-written file is removed. */
bool out_create(const char *root, const char *relpath, const char *data, size_t len, diag_list *d);
/* True when root is missing or an empty folder (hidden entries such as
 * .git count as content). */
bool out_folder_empty(const char *root);
/* }====== */

/* {====== Incremental builds (serve) ====== */

/* The files a committed build left in the output folder, each with a
 * fingerprint of its bytes: what the next build compares against. */
typedef struct out_manifest out_manifest;
out_manifest *out_manifest_new(void);
void out_manifest_free(out_manifest *m);
size_t out_manifest_count(const out_manifest *m);

/* out_begin with a manifest (borrowed; must outlive the tree). When m
 * describes out_dir as it was left (and the marker is there), the build is
 * incremental: out_write skips a file whose bytes are unchanged and stages
 * the others; out_commit moves each staged file into place with one rename
 * and removes the files this build no longer makes. Otherwise it is a full
 * build as with out_begin. Either way a committed build's files become m. */
out_tree *out_begin_incremental(const char *out_dir, out_manifest *m, diag_list *d);
/* A patch: an incremental build that touches only the files it writes;
 * every other file stays as it is, in the folder and in m (nothing is
 * removed). NULL, with nothing reported, when m does not describe out_dir
 * as it is: the caller then makes a full build. */
out_tree *out_begin_patch(const char *out_dir, out_manifest *m, diag_list *d);
/* Keeps relpath as the previous build wrote it (a page not rendered again).
 * False when that is not possible (a full build, or no such file in the
 * manifest): the caller must then write it. */
bool out_keep(out_tree *o, const char *relpath);
/* Says that this build writes every file under the folder dir (a relpath
 * ending in '/'): in a patch, the files there that the patch does not write
 * are removed at commit (the search index's chunks, whose names change
 * with their content). Other builds remove them anyway. */
void out_owns_folder(out_tree *o, const char *dir);
/* True when the build writes in place (see out_begin_incremental). */
bool out_incremental(const out_tree *o);
/* Files actually written by this build (not kept, not unchanged). */
size_t out_written(const out_tree *o);

/* } */

/* Swaps the staging folder into place (atomically when out_dir existed:
 * renameat2 RENAME_EXCHANGE) and removes the previous output. Frees o. */
bool out_commit(out_tree *o, diag_list *d);
/* Removes the staging folder; the previous output stays untouched. Frees o;
 * NULL is a no-op. */
void out_abort(out_tree *o);

/* Stores data as key's entry of the diagram cache in dir (load/dcache.h),
 * making the folder when missing; written beside and renamed into place, so
 * that a reader never sees half a file. False when it could not be stored
 * (the build goes on: the cache only saves time). */
bool out_cache_store(const char *dir, uint64_t key, const char *data, size_t len);

#endif
