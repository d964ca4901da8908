/**
 * A shoot's main view: the grid, the loupe (the single-photo view the app always had) or two
 * photos compared, with the toolbar above and Lightroom's keys, once there is more than one photo.
 * With one photo (`shoot` false) it shows only the loupe, without toolbar or keys, at the same
 * place in the tree, so the loupe's panels keep their state when a shoot shrinks to one photo.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { useGroupMembers, useGroupOf } from '../../store/hooks/useGroups.ts';
import { CullToolbar } from './CullToolbar.tsx';
import { ComparePane } from './ComparePane.tsx';
import { CompareVerdict } from '../../components/CompareVerdict/CompareVerdict.tsx';
import { KeyboardHelp } from './KeyboardHelp.tsx';
import { ShootGrid } from './ShootGrid.tsx';
import {
  comparePartner,
  commandForKey,
  isTypingTarget,
  moveIndex,
  type CullCommand,
  type ViewMode,
} from '../view.ts';
import {
  useComparePair,
  useCullActions,
  useShootCounts,
  usePhotoMarks,
  useViewMode,
  useViewSettings,
  useVisiblePhotoIds,
} from '../../store/hooks/useCullView.ts';
import { useSelectedPhoto } from '../../store/hooks/usePhotos.ts';
import './ShootViews.css';

export function ShootViews({ shoot, loupe }: { shoot: boolean; loupe: ReactNode }) {
  const mode = useViewMode();
  const ids = useVisiblePhotoIds();
  const counts = useShootCounts(ids);
  const selectedId = useSelectedPhoto()?.id ?? null;
  const pair = useComparePair();
  const label = usePhotoMarks(selectedId).label;
  const { helpOpen } = useViewSettings();
  const actions = useCullActions();
  const [columns, setColumns] = useState(1);
  const groupMembers = useGroupMembers(selectedId);
  const bestOfGroup = useGroupOf(selectedId)?.bestPhotoId ?? null;

  const openLoupe = useCallback(
    (photoId: string) => {
      actions.selectPhoto(photoId);
      actions.setViewMode('loupe');
    },
    [actions],
  );

  /**
   * Compare the selected photo with a frame of its own burst (its group's choice, else the next
   * frame of the group), as a photographer weighs near-duplicates; a photo alone is compared with
   * the next one shown (the one before it at the end).
   */
  const changeMode = useCallback(
    (next: ViewMode) => {
      if (next !== 'compare') return actions.setViewMode(next);
      const first = selectedId && ids.includes(selectedId) ? selectedId : ids[0];
      if (!first) return;
      const second =
        first === selectedId
          ? comparePartner(first, ids, groupMembers, bestOfGroup)
          : comparePartner(first, ids, [], null);
      if (second) actions.comparePhotos(first, second);
    },
    [actions, ids, selectedId, groupMembers, bestOfGroup],
  );

  const run = (command: CullCommand): boolean => {
    if (!shoot) return false;
    if (command.type === 'help') {
      actions.setHelpOpen(!helpOpen);
      return true;
    }
    if (command.type === 'close') {
      if (helpOpen) actions.setHelpOpen(false);
      else if (mode === 'compare') actions.setViewMode('grid');
      else return false;
      return true;
    }
    if (helpOpen) return false;
    switch (command.type) {
      case 'mode':
        changeMode(command.mode);
        return true;
      case 'move': {
        if (mode === 'compare' && pair) {
          // ← → bring the next or previous photo in beside the first, as Lightroom's candidate.
          if (command.dx === 0) return false;
          const rest = ids.filter((id) => id !== pair[0]);
          const at = moveIndex(rest.indexOf(pair[1]), rest.length, command, 1);
          const second = rest[at];
          if (second && second !== pair[1]) actions.comparePhotos(pair[0], second);
          return true;
        }
        if (mode === 'loupe' && command.dx === 0) return false;
        const at = moveIndex(
          selectedId ? ids.indexOf(selectedId) : -1,
          ids.length,
          command,
          columns,
        );
        const next = ids[at];
        if (next) actions.selectPhoto(next);
        return true;
      }
    }
    if (!selectedId) return false;
    switch (command.type) {
      case 'flag':
        actions.setFlag(selectedId, command.flag);
        return true;
      case 'stars':
        actions.setStars(selectedId, command.stars);
        return true;
      case 'label':
        actions.setLabel(selectedId, label === command.label ? null : command.label);
        return true;
    }
  };
  const latest = useRef(run);
  useLayoutEffect(() => {
    latest.current = run;
  });

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || isTypingTarget(e.target)) return;
      const command = commandForKey(e);
      if (command && latest.current(command)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="shoot-views" data-testid={shoot ? 'shoot-views' : undefined} data-mode={mode}>
      {shoot && <CullToolbar mode={mode} counts={counts} onMode={changeMode} />}
      {shoot &&
        mode === 'grid' &&
        (ids.length > 0 ? (
          <ShootGrid
            photoIds={ids}
            selectedId={selectedId}
            onColumns={setColumns}
            onSelect={actions.selectPhoto}
            onOpen={openLoupe}
          />
        ) : (
          <p className="shoot-views__empty" data-testid="grid-empty">
            No photo matches these filters.
          </p>
        ))}
      {shoot && mode === 'compare' && pair && (
        <div className="shoot-views__compare" data-testid="compare-view">
          <ComparePane photoId={pair[0]} active={selectedId === pair[0]} />
          <ComparePane photoId={pair[1]} active={selectedId === pair[1]} />
          <CompareVerdict pair={pair} />
        </div>
      )}
      {mode === 'loupe' && loupe}
      {shoot && helpOpen && <KeyboardHelp onClose={() => actions.setHelpOpen(false)} />}
    </div>
  );
}
