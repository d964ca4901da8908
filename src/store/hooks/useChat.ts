import { useShallow } from 'zustand/react/shallow';
import type { ChatSettings, PhotoChat } from '../chatSlice.ts';
import { useAppStore } from '../index.ts';

const NO_CHAT: PhotoChat = { description: null, exchanges: [], lastPrompt: null };

/** What has been said about a photo: its description, questions and answers, last prompt. */
export function usePhotoChat(photoId: string): PhotoChat {
  return useAppStore((s) => s.chats[photoId] ?? NO_CHAT);
}

/** Whether something is being generated for a photo right now (description or answer). */
export function useIsGenerating(photoId: string): boolean {
  return useAppStore((s) => {
    const chat = s.chats[photoId];
    if (!chat) return false;
    const busy = (status: string | undefined) => status === 'waiting' || status === 'streaming';
    return busy(chat.description?.status) || chat.exchanges.some((e) => busy(e.answer.status));
  });
}

/** Generation limits (max tokens, context). */
export function useChatSettings(): ChatSettings {
  return useAppStore((s) => s.chatSettings);
}

/** The chat actions a component may call. */
export function useChatActions() {
  return useAppStore(
    useShallow((s) => ({
      initChat: s.initChat,
      describeWhenScored: s.describeWhenScored,
      regenerateDescription: s.regenerateDescription,
      askQuestion: s.askQuestion,
      stopGenerating: s.stopGenerating,
      clearChat: s.clearChat,
    })),
  );
}
