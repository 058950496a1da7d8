/**
 * Plain words for the file-system errors users meet, instead of errno names: "permission denied",
 * not EACCES. Used wherever a message names a file faultline could not read or write.
 */
const WORDS: Record<string, string> = {
  ENOENT: 'does not exist',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many symlinks (or a symlink loop)',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EIO: 'input/output error (the disk or file system failed)',
  ENOSPC: 'no space left on the device',
  EROFS: 'the file system is read-only',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'the name is too long',
  EBUSY: 'the file is busy',
  EEXIST: 'already exists',
  EXDEV: 'is on another file system',
  EFBIG: 'the file is too large',
  ENXIO: 'no such device',
  ENODEV: 'no such device',
};

/** "does not exist", "permission denied", ...; the error's own message when the code is not one we know. */
export function fsReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException | undefined;
  const code = err?.code;
  if (code && WORDS[code]) return WORDS[code]!;
  // Node's messages start with the code ("EBADF: bad file descriptor, read"): keep the words only.
  const msg = err?.message ?? String(e);
  const m = /^[A-Z]+: ([^,]+)/.exec(msg);
  return m ? m[1]! : msg;
}
