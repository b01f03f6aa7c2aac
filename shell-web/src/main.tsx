// Module Federation negotiates the shared modules (React, Apollo Client, ...) before any of them runs.
void import('./bootstrap');
