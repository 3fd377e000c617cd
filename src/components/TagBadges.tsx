/** Sensitivity tags (PHI, PII, PUBLIC) and free labels, as small badges. */
export function TagBadges({ tags }: { tags: readonly string[] }) {
  if (tags.length === 0) return null;
  return (
    <span className="tags">
      {tags.map((t) => (
        <span key={t} className={`tag tag-${t.toLowerCase()}`}>
          {t}
        </span>
      ))}
    </span>
  );
}
