//! Two-dimensional layouts of embeddings beyond PCA ([`crate::project`]): t-SNE and UMAP, which
//! keep each point's neighbours rather than the directions of largest variance, each run step
//! by step so a map can move as it converges; orthogonal Procrustes, which turns one map onto
//! another (factors are defined only up to rotation); and trustworthiness, which measures how
//! well a layout keeps the neighbours it should.
//!
//! The points are the rows of an `(n, k)` matrix; a layout is row-major `(n, 2)`.

pub mod knn;
pub mod procrustes;
pub mod trust;
pub mod tsne;
pub mod umap;

pub use procrustes::{align, Turn};
pub use trust::trustworthiness;
pub use tsne::{Tsne, TsneParams};
pub use umap::{Umap, UmapParams};
