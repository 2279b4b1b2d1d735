/// <reference types="astro/client" />

interface ImportMetaEnv {
  /** 'off' builds a site that grades in a Worker only (no WebContainer licence needed). */
  readonly PUBLIC_WHETSTONE_WEBCONTAINER?: string;
}
