// Guided lessons along the source article's pipeline. Each lesson is a preset (data set, knobs,
// visible panels), a short text, a task, and a check the page performs on what the learner did;
// `lesson=N` in the link opens lesson N, so each has a deep link. English and Chinese.

import { familyOf, usesFeatures } from './algorithms.js';
import { language, t, translate as tr } from './i18n.js';
import { h } from './ui/dom.js';

/**
 * @typedef {{
 *   title: { en: string, zh: string }, text: { en: string, zh: string }, task: { en: string, zh: string },
 *   preset: Record<string, any>,
 *   check: (s: any, root: HTMLElement, memory: Record<string, any>) => boolean,
 * }} Lesson
 */

/** The default family (matrix factorisation): a lesson about a network checks for another. */
const DEFAULTS_FAMILY = 'mf';

/** Whether a run of at least `n` epochs has ended with the given knobs. @param {any} s @param {number} n */
const trained = (s, n) => s.status === 'idle' && s.epoch >= n && s.history.length > 0;

/** @type {Lesson[]} */
export const LESSONS = [
  {
    title: { en: 'The rating matrix and missing values', zh: '评分矩阵与缺失值' },
    text: {
      en: 'Users rate only a few items: most cells of the matrix are unknown (grey). Matrix factorisation learns from the known cells and fills in all of them.',
      zh: '用户只评价了少数物品：矩阵中的大多数单元格是未知的（灰色）。矩阵分解从已知的单元格中学习，并填满所有单元格。',
    },
    task: {
      en: 'Train, then click a grey (unknown) cell of the observed matrix and read what the model predicts for it.',
      zh: '训练，然后点击观测矩阵中的一个灰色（未知）单元格，读出模型对它的预测。',
    },
    preset: { dataset: 'synthetic', synDensity: 0.2, nEpochs: 40, panels: 'observed,predicted,loss' },
    check: (s) => {
      if (!trained(s, 40) || !s.selected || !s.observed || !s.view) return false;
      return Number.isNaN(s.observed[s.selected.user / s.view.rowStep * s.view.cols + s.selected.item / s.view.colStep]);
    },
  },
  {
    title: { en: 'Factorising with k = 2: the embedding map', zh: '用 k = 2 做分解：嵌入图' },
    text: {
      en: 'With two factors every user and every item is a point on a plane, and a prediction is (roughly) how far a user points towards an item. Genres gather.',
      zh: '只有两个因子时，每个用户和物品都是平面上的一个点，预测值（大致）就是用户朝物品方向的投影。同一类型的物品会聚在一起。',
    },
    task: { en: 'Train 60 epochs with k = 2 and watch the items of one genre gather on the map.', zh: '用 k = 2 训练 60 轮，观察同一类型的物品在图上聚集。' },
    preset: { dataset: 'synthetic', nFactors: 2, nEpochs: 60, panels: 'embeddings,loss' },
    check: (s) => trained(s, 60) && s.knobs.nFactors === 2,
  },
  {
    title: { en: 'What biases add', zh: '偏置带来了什么' },
    text: {
      en: 'Some users rate everything high and some films please everyone: μ, b_u and b_i capture that, so the factors can spend themselves on taste.',
      zh: '有的用户什么都打高分，有的电影人人喜欢：μ、b_u 和 b_i 刻画了这些，于是因子可以专注于口味。',
    },
    task: {
      en: 'Train without biases and note the test RMSE; switch biases on and train again.',
      zh: '先关闭偏置训练并记下测试 RMSE；再打开偏置重新训练。',
    },
    preset: { dataset: 'movietweetings', biases: false, normalization: 'none', nEpochs: 40, testFraction: 0.2, panels: 'loss,evaluation' },
    check: (s, _root, memory) => {
      if (trained(s, 40)) memory[s.knobs.biases ? 'with' : 'without'] = true;
      return Boolean(memory.with && memory.without);
    },
  },
  {
    title: { en: 'Loss and optimisers: SGD, Adam, RMSprop', zh: '损失与优化器：SGD、Adam、RMSprop' },
    text: {
      en: 'The same model and the same start can be fitted in different ways: plain SGD steps, Adam and RMSprop scale each step by the history of its gradients, ALS solves for one side exactly.',
      zh: '同一个模型、同一个起点可以用不同的方法拟合：普通 SGD 一步步走，Adam 和 RMSprop 按梯度的历史调整每一步，ALS 则精确求解一侧。',
    },
    task: { en: 'Start the optimiser race: which one is lowest after 10 epochs, and which after all of them?', zh: '开始优化器竞赛：10 轮后哪个最低？全部结束后呢？' },
    preset: { dataset: 'synthetic', nEpochs: 40, testFraction: 0.2, panels: 'race,loss' },
    check: (_s, root) => Boolean(root.querySelector('.mfp-race[data-race="done"]')),
  },
  {
    title: { en: 'Over-fitting and regularisation', zh: '过拟合与正则化' },
    text: {
      en: 'Many factors and no regularisation let the model memorise the training ratings: train error falls while test error turns up. λ pulls the factors towards zero.',
      zh: '因子很多又没有正则化时，模型会记住训练评分：训练误差下降，测试误差却回升。λ 把因子拉向零。',
    },
    task: {
      en: 'Train with λ = 0 and watch test RMSE turn up; then raise λ (try 0.1) and train again to a lower test RMSE.',
      zh: '用 λ = 0 训练，观察测试 RMSE 回升；然后增大 λ（试试 0.1）重新训练，得到更低的测试 RMSE。',
    },
    // MovieTweetings with k = 16 and λ = 0: test RMSE lowest near epoch 11 (1.423), then up by a
    // quarter to 1.78 at epoch 60 while train RMSE falls; λ = 0.1 ends at 1.52.
    preset: { dataset: 'movietweetings', nFactors: 16, reg: 0, learningRate: 0.01, initStd: 0.1, nEpochs: 60, testFraction: 0.2, panels: 'loss' },
    check: (s, _root, memory) => {
      const last = s.history.at(-1);
      if (!trained(s, s.knobs.nEpochs) || last?.testRmse == null) return false;
      if (s.knobs.reg === 0) {
        // Over-fitting seen: the test error ended at least 5% above its lowest point.
        const lowest = Math.min(...s.history.map((/** @type {any} */ r) => r.testRmse));
        if (last.testRmse >= 1.05 * lowest) memory.free = Math.min(memory.free ?? Infinity, last.testRmse);
      } else if (memory.free !== undefined && last.testRmse < memory.free) return (memory.done = true);
      return Boolean(memory.done);
    },
  },
  {
    title: { en: 'Evaluation beyond accuracy', zh: '超越准确度的评估' },
    text: {
      en: 'A low RMSE does not make good recommendations by itself: precision, recall and F1 ask whether the top k are relevant; coverage, novelty and diversity ask what kind of list users get.',
      zh: 'RMSE 低并不等于推荐好：精确率、召回率和 F1 关心前 k 个是否相关；覆盖率、新颖度和多样性关心用户得到的是怎样的列表。',
    },
    task: { en: 'Train, then set k = 5 in the evaluation panel and compare the model with popularity on novelty and diversity.', zh: '训练，然后在评估面板中把 k 设为 5，比较模型与流行度基线的新颖度和多样性。' },
    preset: { dataset: 'movietweetings', nEpochs: 40, testFraction: 0.2, panels: 'evaluation,recommend' },
    check: (s, root) => trained(s, 40) && /** @type {HTMLInputElement | null} */ (root.querySelector('.mfp-eval-k'))?.value === '5',
  },
  {
    title: { en: 'Balance: size against accuracy against time', zh: '平衡：规模、精度与时间' },
    text: {
      en: 'More factors cost parameters and time and do not always buy accuracy. The Pareto front holds the models worth choosing between.',
      zh: '更多的因子意味着更多参数和时间，却不一定换来精度。帕累托前沿上是值得挑选的模型。',
    },
    task: { en: 'Run the sweep, then click a point on the size front to train that model.', zh: '运行扫描，然后点击规模前沿上的一个点，训练那个模型。' },
    preset: { dataset: 'movietweetings', testFraction: 0.2, panels: 'balance,loss' },
    check: (_s, root) => Boolean(root.querySelector('.mfp-sweep[data-sweep="done"][data-loaded="yes"]')),
  },
  {
    title: { en: 'Exploration against exploitation', zh: '探索与利用' },
    text: {
      en: 'Showing only what the model already likes (exploitation) never tests what it does not know. UCB and Thompson sampling show uncertain items on purpose (exploration) and learn more.',
      zh: '只展示模型已经喜欢的东西（利用）就永远无法检验它不知道的东西。UCB 和汤普森采样有意展示不确定的物品（探索），从而学到更多。',
    },
    task: { en: 'Run the lab and compare greedy with UCB and Thompson: regret at the end, coverage of the catalogue in the first 50 rounds, and how concentrated exposure is (Gini).', zh: '运行实验室，比较贪心与 UCB、汤普森采样：最终的遗憾、前 50 轮的目录覆盖率，以及曝光的集中程度（基尼系数）。' },
    preset: { panels: 'lab' },
    check: (_s, root) => Boolean(root.querySelector('.mfp-lab[data-lab="done"]')),
  },
  {
    title: { en: 'Feedback loops and A/B tests', zh: '反馈回路与 A/B 测试' },
    text: {
      en: 'A recommender learns from the clicks its own recommendations caused. To compare two, split the traffic and measure; and decide in advance when to stop.',
      zh: '推荐系统从它自己的推荐引起的点击中学习。要比较两个系统，就把流量分开来测量；并事先决定何时停止。',
    },
    task: { en: 'Run an A/B test, then the A/A tests: how often does stopping at the first significant look cry wolf?', zh: '运行一次 A/B 测试，再运行 A/A 测试：一看到显著就停止，误报有多频繁？' },
    preset: { panels: 'lab' },
    check: (_s, root) => Boolean(root.querySelector('.mfp-lab[data-ab="done"][data-aa="done"]')),
  },
  {
    title: { en: 'Preprocessing: missing values and normalisation', zh: '预处理：缺失值与归一化' },
    text: {
      en: 'A missing cell can be filled with a mean (the evaluation table\'s "Global mean" column is that fill) or left out, as the factorisation does. Normalising subtracts a mean, the global one or each user\'s or item\'s (the z-score also divides by the user\'s spread), before training and adds it back to every prediction: a model that has learned nothing predicts that mean fill, and training improves on it. The means come from the training part alone, so no test rating leaks into them.',
      zh: '缺失的单元格可以用均值填充（评估表中“全局均值”一列就是这种填充），也可以像矩阵分解那样直接跳过。归一化在训练前减去一个均值——全局均值，或每个用户、每个物品的均值（z 分数还会除以该用户的离散程度）——并在每个预测上把它加回来：什么都没学到的模型给出的正是这种均值填充，训练则在此基础上改进。这些均值只取自训练部分，测试评分不会泄漏进去。',
    },
    task: {
      en: 'Train with Normalise set to None and note the test RMSE; then pick a normalisation (each user\'s mean, or the user z-score) and train again. Click a cell of the predicted matrix: its explanation now starts from the offset.',
      zh: '先把“归一化”设为“无”进行训练并记下测试 RMSE；再选择一种归一化（每个用户的均值，或用户 z 分数）重新训练。点击预测矩阵中的一个单元格：它的解释现在从偏移开始。',
    },
    preset: { dataset: 'movietweetings', normalization: 'none', biases: true, nEpochs: 40, testFraction: 0.2, panels: 'predicted,explain,evaluation' },
    check: (s, _root, memory) => {
      if (trained(s, 40)) memory[s.knobs.normalization] = true;
      return Boolean(memory.none && Object.keys(memory).some((k) => k !== 'none'));
    },
  },
  {
    title: { en: 'Adding yourself: cold start', zh: '加入你自己：冷启动' },
    text: {
      en: 'A new user has no factors yet. With the items held fixed, a few ratings are enough to place them among the others (fold-in), without retraining.',
      zh: '新用户还没有因子。固定物品因子，只需几个评分就能把新用户放进已有用户之中（fold-in），无需重新训练。',
    },
    task: { en: 'Train, then rate a few films under "Add yourself" and press "Recommend for me".', zh: '训练，然后在“加入你自己”下给几部电影打分，并点击“为我推荐”。' },
    preset: { dataset: 'movietweetings', nEpochs: 30, testFraction: 0.2, panels: 'recommend,embeddings' },
    check: (s, root) => trained(s, 30) && root.querySelectorAll('.mfp-add-list li').length > 0,
  },
  {
    title: { en: 'Is a bigger model worth it?', zh: '更大的模型值得吗？' },
    text: {
      en: 'Neural collaborative filtering (He et al. 2017) replaces the dot product with learnt layers: GMF weights each factor\'s product, an MLP stacks ReLU layers over the two embeddings, NeuMF does both. Every layer adds parameters and time. Rendle et al. (2020) found that a well-tuned dot product matches or beats the MLP: a bigger model is a cost first and a gain only if the data has something it can learn. Watch the test curve too: without regularisation a network memorises the training ratings.',
      zh: '神经协同过滤（He 等，2017）用学习出来的网络层代替点积：GMF 给每个因子的乘积加权，MLP 在两个嵌入之上叠加 ReLU 层，NeuMF 两者兼有。每一层都会增加参数和时间。Rendle 等（2020）发现，调好的点积与 MLP 不相上下甚至更好：更大的模型首先是成本，只有数据里有它能学到的东西时才是收益。也请留意测试曲线：没有正则化时，网络会把训练评分背下来。',
    },
    task: {
      en: 'Train matrix factorisation and note the test RMSE; set Model to NeuMF and train again. Then tick both models in the sweep, run it, and read where each sits: test error against parameters and against time.',
      zh: '先训练矩阵分解并记下测试 RMSE；把“模型”设为 NeuMF 再训练一次。然后在扫描中勾选这两个模型并运行，看看它们各自的位置：测试误差与参数量、与时间的关系。',
    },
    preset: { dataset: 'movietweetings', family: 'mf', nEpochs: 30, testFraction: 0.2, panels: 'loss,evaluation,balance' },
    check: (s, root, memory) => {
      if (trained(s, 30)) memory[s.knobs.family === 'mf' ? 'mf' : 'network'] = true;
      const sweep = /** @type {HTMLElement | null} */ (root.querySelector('.mfp-sweep[data-sweep="done"]'));
      const swept = (sweep?.dataset.families ?? '').split(',');
      return Boolean(memory.mf && memory.network && swept.includes('mf') && swept.some((f) => f !== 'mf' && f !== ''));
    },
  },
  {
    title: { en: 'The article\'s own model, on its own data', zh: '文章自己的模型，用它自己的数据' },
    text: {
      en: 'The article\'s code (section 5.2) means an embedding for each user and item, their product, a dense sigmoid output and binary cross-entropy: that is GMF. Two of its lines do something else. Dot(axes=1) on embeddings of shape (1, 5) multiplies along the axis of length 1, giving a 5 × 5 outer product, not a number; and Add/Subtract add that to p_u − q_i, so the output layer sees the product plus a term of the user alone and one of the item alone: no "error term" of matrix factorisation at all. Its data is a matrix of coin flips, so there is nothing to learn: a model can fit the training cells, and the test AUC stays near 0.5.',
      zh: '文章的代码（5.2 节）想表达的是：每个用户和物品各有一个嵌入，取它们的乘积，接一个 sigmoid 输出的全连接层，用二元交叉熵训练：这就是 GMF。但其中两行做的是别的事。Dot(axes=1) 作用在形状为 (1, 5) 的嵌入上，是沿着长度为 1 的那一维相乘，得到的是 5 × 5 的外积，而不是一个数；Add/Subtract 又把它加到 p_u − q_i 上，于是输出层看到的是乘积加上一个只和用户有关的项、一个只和物品有关的项：根本不是矩阵分解里的“误差项”。它的数据是一堆抛硬币的结果，没有任何可学的东西：模型可以拟合训练单元格，而测试 AUC 始终在 0.5 附近。',
    },
    task: {
      en: 'Set Model to GMF and, as the article does, Factors k = 5, Batch 32, Negatives 0, Learning rate 0.001; train, and read the AUC in the evaluation table.',
      zh: '把“模型”设为 GMF，并像文章那样设置因子 k = 5、批量 32、负样本数 0、学习率 0.001；训练，然后在评估表中读出 AUC。',
    },
    preset: { dataset: 'article-random', family: 'mf', panels: 'loss,evaluation,predicted' },
    check: (s, root) => {
      if (!trained(s, 10) || s.knobs.family === DEFAULTS_FAMILY || s.knobs.dataset !== 'article-random') return false;
      const auc = Number(root.querySelector('[data-metric="eval-auc"]')?.textContent);
      return auc > 0.4 && auc < 0.6;
    },
  },
  {
    title: { en: 'New items: what features buy', zh: '新物品：特征带来了什么' },
    text: {
      en: 'The article\'s pipeline has a feature step: what a user is (their preferences) and what an item is (its category), beside who rated what. Matrix factorisation knows only ids, so an item nobody has rated yet gets nothing but its starting noise: its prediction is μ + b_u and a guess. The hybrid model (Kula 2015, LightFM) makes every vector the sum of its id\'s vector and its features\' vectors, and the same for the biases: a new Comedy starts where Comedies are. Here the test part is every rating of a fifth of the films, which the model meets as new; the generator\'s genres are the items\' features, and each user\'s favourite genre theirs.',
      zh: '文章的流程里有一步特征提取：用户是什么样的（偏好），物品是什么样的（类别），而不只是谁给什么打了分。矩阵分解只认识 id，所以还没人评过分的新物品只有它初始的噪声：预测就是 μ + b_u 加上一个猜测。混合模型（Kula 2015，LightFM）把每个向量都做成其 id 的向量加上其特征的向量，偏置也一样：一部新喜剧一开始就待在喜剧所在的地方。这里的测试部分是五分之一电影的全部评分，模型把它们当作新物品来面对；生成器的类型是物品的特征，每个用户最喜欢的类型是用户的特征。',
    },
    task: {
      en: 'Train matrix factorisation and note the test RMSE on the new films; set Model to "Hybrid MF (features)" and train again. Click a cell of the predicted matrix to see what each feature adds, and find the ◆ features on the map.',
      zh: '先训练矩阵分解，记下新电影上的测试 RMSE；把“模型”设为“混合矩阵分解（特征）”再训练一次。点击预测矩阵中的一个单元格，看看每个特征贡献了多少，并在嵌入图上找到 ◆ 特征。',
    },
    preset: {
      dataset: 'synthetic', synUsers: 300, synItems: 200, synClusters: 6, synDensity: 0.12, family: DEFAULTS_FAMILY,
      split: 'coldItems', testFraction: 0.2, nEpochs: 30, learningRate: 0.02, panels: 'loss,predicted,explain,embeddings',
    },
    check: (s, root, memory) => {
      if (!trained(s, 30) || s.knobs.split !== 'coldItems' || s.knobs.dataset !== 'synthetic') return false;
      const rmse = Number(root.querySelector('[data-metric="test-rmse"]')?.textContent);
      if (!Number.isFinite(rmse)) return false;
      if (usesFeatures(familyOf(s.families, s.knobs.family))) memory.hybrid = rmse;
      else if (s.knobs.family === DEFAULTS_FAMILY) memory.mf = rmse;
      return memory.mf !== undefined && memory.hybrid !== undefined && memory.hybrid < memory.mf;
    },
  },
  {
    title: { en: 'Is it really better?', zh: '真的更好吗？' },
    text: {
      en: 'Model B\'s test NDCG is 0.145 and model A\'s 0.140: is B better? Two means hide the users behind them. Both models were tested on the same users, so look at each user\'s own difference. Resampling the users 2000 times (the bootstrap) shows how far the mean difference would move with other users like these: its 95% interval. The Wilcoxon signed-rank test asks how often differences this one-sided would come up if neither model were better for anyone. An interval that holds 0 says this test set cannot tell the two apart: more test users would settle it, more decimal places would not. An A/B test (the lab\'s) asks the same question of live traffic, and the evaluation panel asks it of the model against each baseline.',
      zh: '模型 B 的测试 NDCG 是 0.145，模型 A 是 0.140：B 更好吗？两个平均值背后藏着一个个用户。两个模型是在同一批用户上测试的，所以要看每个用户自己的差值。对用户重抽样 2000 次（自助法）可以看出，换一批类似的用户，平均差值会变动多少：这就是它的 95% 区间。Wilcoxon 符号秩检验问的是：如果两个模型对任何人都没有优劣之分，这样一边倒的差值会多常出现。区间包含 0 说明这个测试集分不出两者：更多的测试用户能回答这个问题，多几位小数却不能。A/B 测试（见实验室）是在真实流量上问同一个问题，评估面板也拿这个问题去问模型与每个基线。',
    },
    task: {
      en: 'Train with k = 8, then with k = 2: each finished training is kept in the Runs panel. Tick both runs and read whether the interval of NDCG@10 holds 0; then look at each user\'s NDCG, not only the mean.',
      zh: '先用 k = 8 训练，再用 k = 2 训练：每次完成的训练都会保存在“运行记录”面板中。勾选这两次运行，看 NDCG@10 的区间是否包含 0；再看看每个用户的 NDCG，而不只是平均值。',
    },
    preset: { dataset: 'movietweetings', family: DEFAULTS_FAMILY, nFactors: 8, nEpochs: 30, testFraction: 0.2, panels: 'loss,evaluation,runs' },
    check: (_s, root) => Boolean(root.querySelector('.mfp-runs-compare[data-verdict="yes"]')),
  },
];

/**
 * The lesson bar: the current lesson's text, task and check, progress, previous and next.
 * @param {{ apply: (knobs: Record<string, any>) => void, root: HTMLElement }} host
 */
export function createLessonBar(host) {
  const title = h('h2', { class: 'mfp-lesson-title' });
  const text = h('p', { class: 'mfp-lesson-text' });
  const task = h('p', { class: 'mfp-lesson-task' });
  const status = h('p', { class: 'mfp-lesson-status', role: 'status', 'aria-live': 'polite' });
  const prev = h('button', { type: 'button', class: 'mfp-btn mfp-lesson-prev', text: t('Previous lesson') });
  const next = h('button', { type: 'button', class: 'mfp-btn mfp-lesson-next', text: t('Next lesson') });
  const progress = h('progress', { class: 'mfp-lesson-progress', max: LESSONS.length, value: 0, 'aria-label': t('Lessons done') });
  const element = h('section', { class: 'mfp-lesson', hidden: true, 'aria-label': t('Lesson') }, [
    h('div', { class: 'mfp-lesson-head' }, [title, h('span', { class: 'mfp-lesson-nav' }, [prev, progress, next])]),
    text, task, status,
  ]);
  let current = 0;
  /** @type {Record<string, any>} */
  let memory = {};
  /** Lessons whose check has passed in this visit. */
  const done = new Set();

  prev.addEventListener('click', () => current > 1 && host.apply({ lesson: current - 1, ...LESSONS[current - 2].preset }));
  next.addEventListener('click', () => current < LESSONS.length && host.apply({ lesson: current + 1, ...LESSONS[current].preset }));

  return {
    element,
    /** Follows the state: the lesson the link names, and its check. @param {any} s */
    update(s) {
      const n = s.knobs.lesson;
      element.hidden = !n;
      if (!n) return;
      const lesson = LESSONS[n - 1];
      if (n !== current) {
        current = n;
        memory = {};
      }
      const lang = language();
      title.textContent = tr("{lesson}: {title}", { lesson: tr("Lesson {n} of {total}", { n, total: LESSONS.length }), title: lesson.title[lang] });
      text.textContent = lesson.text[lang];
      task.textContent = `${tr('Try this:')} ${lesson.task[lang]}`;
      if (lesson.check(s, host.root, memory)) done.add(n);
      const passed = done.has(n);
      element.dataset.check = passed ? 'passed' : 'open';
      status.textContent = passed ? tr('✓ Done: the page checked it. On to the next lesson.') : tr('Not yet: the page checks as you go.');
      progress.value = done.size;
      prev.disabled = n <= 1;
      next.disabled = n >= LESSONS.length;
    },
    /** The lesson's preset, for a link that names a lesson. @param {number} n */
    preset(n) {
      return n ? LESSONS[n - 1]?.preset ?? {} : {};
    },
  };
}
