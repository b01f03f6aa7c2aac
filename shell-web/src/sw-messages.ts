/** The messages between the shell's pages and its service worker (./sw.ts), beside neither so that the page's bundle takes no Workbox runtime. */

/** Page -> worker: refresh the registry and the mini-apps this browser ran before; tell pages running older ones. */
export const CHECK_FOR_UPDATES_MESSAGE = 'MEGA_CHECK_FOR_UPDATES';
/** Worker -> page: `{ type, id }`, a newer version of mini-app `id` (or the registry moved it) is stored and ready. */
export const MINI_APP_UPDATE_MESSAGE = 'MEGA_MINI_APP_UPDATE';
