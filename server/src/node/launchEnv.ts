/**
 * The environment Sourcemark's own launchers give the language server (the VS Code client,
 * the bench), and that users of other editors may give it too (README).
 *
 * On Linux with glibc ≥ 2.35, `glibc.malloc.hugetlb=1` lets malloc ask the kernel for
 * transparent huge pages for the memory it maps (where THP is in `madvise` mode, the common
 * default). The server reads its index cache into such memory (postings, spans, texts), and
 * on machines where first touching a page is dear (virtual machines: 3 ms per MB measured on
 * the bench machine) a warm start spent a sixth of its time in page faults. A tunable glibc
 * reads only when the process starts, so it has to come from whoever starts the server;
 * elsewhere it is ignored.
 */

/** The tunable and the value we ask for. */
export const HUGE_PAGES_TUNABLE = 'glibc.malloc.hugetlb';

/**
 * `env` with the huge-pages tunable added to `GLIBC_TUNABLES` on Linux (kept as it is
 * elsewhere, and when it already names the tunable: the user's own choice wins).
 */
export function serverEnvironment(env: Readonly<Record<string, string | undefined>>, platform: string = process.platform): Record<string, string | undefined> {
  const out = { ...env };
  if (platform !== 'linux') return out;
  const tunables = env.GLIBC_TUNABLES ?? '';
  if (tunables.split(':').some((t) => t.split('=')[0] === HUGE_PAGES_TUNABLE)) return out;
  out.GLIBC_TUNABLES = tunables ? `${tunables}:${HUGE_PAGES_TUNABLE}=1` : `${HUGE_PAGES_TUNABLE}=1`;
  return out;
}
