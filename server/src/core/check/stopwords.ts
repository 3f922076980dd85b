/**
 * Function words that say nothing about *what* a figure measures. Kept short on purpose:
 * content words such as "dân số", "viện trợ", "thời hạn" must count.
 */
const WORDS = `
và của các những là có được cho với trong này đã sẽ không một đó thì mà rằng theo từ đến tại về như khi nhưng cũng
vào ra lên xuống nào ai gì đây kia ấy nên vì do bởi để nếu hay hoặc cùng vẫn đang vừa mới rất nhiều ít hơn khoảng gần
trên dưới ngày tháng năm hôm nay qua tới sau trước lại còn chỉ đều tự nó họ chúng ta tôi ông bà anh chị
the a an of to in on at for and or but with by from as is are was were be been that this these those it its their
has have had will would can could about more than less over under some nearly almost around into per
`;

const STOPWORDS = new Set(WORDS.split(/\s+/).filter(Boolean));

/** True for a lower-case canonical word that carries no topic. */
export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}
