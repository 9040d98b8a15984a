import { visitorPaths } from '../../../../../protocol/visitor-socket';

/**
 * The tag a website includes to show a group's widget, in exactly the form the server prints it
 * (server/cli.ts); `serverOrigin` is the server this desktop is signed in to.
 */
export function embedCode(serverOrigin: string, groupId: string): string {
  return `<script src="${serverOrigin}${visitorPaths.loader}" data-group="${groupId}" async></script>`;
}
