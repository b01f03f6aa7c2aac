{
  "name": "@mega/__NAME__",
  "private": true,
  "type": "module",
  "description": "The __TITLE__ mini-app. A Module Federation remote built and deployed on its own.",
  "scripts": {
    "dev": "vite",
    "build": "vite build",
    "preview": "vite preview"
  },
  "miniApp": {
    "id": "__NAME__",
    "title": "__TITLE__",
    "icon": "__ICON__",
    "route": "/__NAME__",
    "sdk": "^__SDK_MAJOR__.0.0",
    "capabilities": ["session", "graphql", "navigation", "notifications"],
    "handles": []
  },
  "dependencies": {
    "@apollo/client": "4.3.8",
    "@graphql-typed-document-node/core": "3.2.0",
    "@mega/mini-app-sdk": "workspace:*",
    "graphql": "16.15.0",
    "react": "19.3.1",
    "react-dom": "19.3.1",
    "rxjs": "7.8.2"
  },
  "devDependencies": {
    "@mega/mini-app-kit": "workspace:*",
    "@types/react": "19.3.3",
    "@types/react-dom": "19.3.0",
    "vite": "8.3.8"
  }
}
