/* history: when each source file's content last changed, from the git
 * history of the source folder (libgit2, one walk per build) or, where git
 * cannot tell, from the file's modification time. Part of the loading stage:
 * it reads the file system and the repository, nothing else does. */
#ifndef KK_HISTORY_H
#define KK_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "../0-base/diag.h"

typedef struct hist hist;

/* The last change of each of paths[0..n) (relative to root, '/'-separated):
 * the time of the newest commit that changed it, when root is (inside) a git
 * repository, the file is committed and unchanged in the working tree;
 * otherwise the file's modification time (a file not in git yet, changed or
 * untracked, or older than a shallow clone's history). Not a repository:
 * modification times, silently. A repository that cannot be read (corrupt,
 * no commits): modification times and one warning naming it. When clamp > 0
 * (SOURCE_DATE_EPOCH) no time exceeds it. Never fails; caller frees with
 * hist_free. */
hist *hist_load(const char *root, const char *const *paths, size_t n, int64_t clamp, diag_list *d);
void hist_free(hist *h);

/* The unix time of path's last change; 0 when path was not asked for or
 * cannot be read. */
int64_t hist_time(const hist *h, const char *path);

/* How many of the paths got their time from git (the rest: mtimes). */
size_t hist_from_git(const hist *h);

#endif
