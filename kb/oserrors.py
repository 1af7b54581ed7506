"""Operating-system errors in Chinese: strerror is English and says nothing of what to do."""
from __future__ import annotations

import errno

REASONS = {
    errno.ENOSPC: "磁盘空间已满，请清理磁盘后重试",
    errno.EDQUOT: "磁盘配额已用完，请清理后重试",
    errno.EROFS: "所在的文件系统是只读的，请换一个可写的目录或重新以读写方式挂载",
    errno.EACCES: "没有写入或读取权限",
    errno.EPERM: "没有写入或读取权限",
    errno.EFBIG: "文件超过了系统允许的大小",
    errno.EIO: "磁盘读写出错",
    errno.EISDIR: "这是一个目录，不是文件",
    errno.ENOENT: "文件或目录不存在",
}


def reason(exc: OSError) -> str:
    return REASONS.get(exc.errno, exc.strerror or str(exc))
