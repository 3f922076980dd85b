/** Diagnostic messages in the two languages Sourcemark speaks. */
import type { DiagnosticCode } from '../settings';

type Args = Record<string, string>;

/** Diagnostic messages, and the note added to them while the corpus is being indexed. */
type MessageKey = DiagnosticCode | 'indexing-note';

const MESSAGES: Record<'en' | 'vi', Record<MessageKey, (a: Args) => string>> = {
  en: {
    'indexing-note': () => '(The corpus is still being indexed: this may change.)',
    'contradicted-figure': (a) => `"${a.figure}" contradicts the source: [@${a.id}] says "${a.source}".`,
    'citation-mismatch': (a) => `"${a.figure}" is not supported by the cited [${a.cited}]; [@${a.id}] supports it.`,
    'unknown-source': (a) => (a.invalid ? `[@${a.key}] is not a valid citation key (keys are article ids, not paths).` : `Unknown source [@${a.key}]: no article in the corpus has this id.`),
    'unsupported-figure': (a) => `No source found for "${a.figure}".`,
    'missing-citation': (a) => `"${a.figure}" is supported by [@${a.id}] but carries no citation.`,
    'document-too-large': (a) => `Only the first ${a.count} figures were checked; the rest of this document is not.`,
  },
  vi: {
    'indexing-note': () => '(Kho nguồn đang được lập chỉ mục: kết luận có thể thay đổi.)',
    'contradicted-figure': (a) => `"${a.figure}" mâu thuẫn với nguồn: [@${a.id}] viết "${a.source}".`,
    'citation-mismatch': (a) => `Nguồn được trích [${a.cited}] không xác nhận "${a.figure}"; [@${a.id}] xác nhận.`,
    'unknown-source': (a) => (a.invalid ? `[@${a.key}] không phải khóa trích dẫn hợp lệ (khóa là mã bài, không phải đường dẫn).` : `Không có bài nguồn [@${a.key}] trong kho.`),
    'unsupported-figure': (a) => `Không tìm thấy nguồn cho "${a.figure}".`,
    'missing-citation': (a) => `"${a.figure}" có nguồn [@${a.id}] nhưng chưa được trích dẫn.`,
    'document-too-large': (a) => `Chỉ ${a.count} con số đầu tiên được kiểm tra; phần còn lại của tài liệu thì chưa.`,
  },
};

export function message(locale: 'vi' | 'en', code: MessageKey, args: Args): string {
  return MESSAGES[locale][code](args);
}
