/**
 * The images the docker runtime runs nodes in. With no registry reachable here, `faultline images build`
 * builds them locally from Debian packages (a debootstrap base imported into Docker, one image per
 * database on top), so a node in a container has the same binaries, paths and users as the host's
 * Debian packages that the local runtime uses.
 */
export const IMAGE_TAG = 'bookworm';

/**
 * The image a database's nodes run in, by its key (the adapter's name: postgres, mysql, redis, cassandra,
 * etcd); a full reference (with a ':' or '/', as `--image` gives one) is taken as it is.
 */
export function imageRef(key: string): string {
  return /[:/]/.test(key) ? key : `faultline/${key}:${IMAGE_TAG}`;
}
