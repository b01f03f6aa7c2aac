# __TITLE__ (`@mega/__NAME__`)

A mini-app of Mega App: a Module Federation remote, built and deployed on its own, loaded by the
shell at `/__NAME__` from the registry. The contract with the shell is the SDK
([docs/mini-apps.md](../../docs/mini-apps.md)); this package imports only the SDK and its own code.

| file | what |
|---|---|
| `package.json` | `miniApp`: the registry entry (id, title, icon, route, SDK range, capabilities, intents handled) |
| `vite.config.ts` | `defineMiniAppConfig()` from `@mega/mini-app-kit/vite`: name, port, what it exposes |
| `src/app.tsx` | the root component (`./App`), rendered with `MiniAppProps` |
| `src/operations.ts` | its GraphQL operations; `src/gql/` is generated from them |

```sh
npx -y pnpm@10 --filter @mega/__NAME__ dev      # alone in the dev host, against the gateway at GATEWAY_URL (default http://127.0.0.1:4000/graphql)
npx -y pnpm@10 codegen                          # after changing an operation: regenerates src/gql/
npx -y pnpm@10 --filter @mega/__NAME__ build    # dist/: mf-manifest.json, remoteEntry.js, assets/ (serve it from any URL)
npx -y pnpm@10 start                            # the whole system, this mini-app included, in the shell
```
