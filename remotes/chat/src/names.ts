interface Member {
  id: string;
  displayName: string;
}

/** A conversation's title, or the other members' names when it has none. */
export function conversationName(conversation: { title: string | null; members: readonly (Member | null)[] }, viewerId: string | undefined): string {
  if (conversation.title) return conversation.title;
  const others = conversation.members.filter((member): member is Member => member !== null && member.id !== viewerId);
  return others.map((member) => member.displayName).join(', ') || 'Just you';
}
